import { z } from "zod";
import { maxDistricts, maxItems } from "../../domain/marketplaces/platform-settings.ts";
import { text } from "./schema-primitives.ts";

/**
 * Bodies and answers of the marketplaces' settings (ADR 028, "Marketplaces' settings"). The
 * shapes are checked here; what makes settings usable (stores that exist, items on sale, a
 * callback URL that may be called, districts named once) is the domain's
 * (domain/marketplaces/platform-settings.ts), field by field.
 */

export const PlatformParamsSchema = z.strictObject({ platform: text(32) });

export const PlatformSettingsBodySchema = z
  .strictObject({
    defaultStoreId: text(64).optional().meta({ description: "The store taking orders from districts no route names; absent: such orders are refused." }),
    storesByDistrict: z
      .record(z.string().max(100), z.string().max(64))
      .meta({ description: `District as the platform spells it (compared ignoring case and punctuation) → the store serving it; at most ${maxDistricts}.` }),
    skuByItemId: z.record(z.string().max(64), z.string().max(64)).meta({ description: `The platform's item id → an item on sale on the price list; at most ${maxItems}.` }),
    callbackUrl: z
      .string()
      .max(2000)
      .optional()
      .meta({ description: "Where customer-visible status changes are pushed, signed with the platform's secret: https (http only to this machine). Absent: none are pushed." }),
  })
  .meta({ title: "PlatformSettingsBody", description: "A marketplace's settings, whole: PUT replaces them. Never its secret (INTAKE_PLATFORM_SECRETS)." });

export const PlatformSettingsViewSchema = z
  .object({
    platform: z.string(),
    defaultStoreId: z.string().optional(),
    storesByDistrict: z.record(z.string(), z.string()),
    skuByItemId: z.record(z.string(), z.string()),
    callbackUrl: z.string().optional(),
    signingSecretConfigured: z.boolean().meta({
      description: "Whether intake holds the platform's signing secret (INTAKE_PLATFORM_SECRETS): without one its orders are refused and no status is pushed to it.",
    }),
    version: z.int().meta({ description: "0: as the chain was seeded, never administered." }),
    updatedBy: z.string().optional().meta({ description: 'Who published this version, e.g. "staff:sm-1" (absent for the seed\'s).' }),
    updatedAt: z.string(),
  })
  .meta({ title: "PlatformSettings", description: "A marketplace's settings with their version (also the ETag)." });

export const PlatformSettingsListSchema = z.object({ platforms: z.array(PlatformSettingsViewSchema) }).meta({ title: "PlatformSettingsList" });
