import { permissions } from "../../domain/permissions.ts";
import { body, common, forbidden, ifMatchParameter, json, jsonSchemaOf, ok, problem, ref, requestIdHeader } from "./openapi-parts.ts";
import { PlatformSettingsBodySchema, PlatformSettingsListSchema, PlatformSettingsViewSchema } from "./platform-schemas.ts";

/** Request examples of the marketplaces' settings (ADR 028, "Marketplaces' settings"). */
export const platformExamples = {
  settings: {
    defaultStoreId: "store-sh-jingan",
    storesByDistrict: { "Jing'an": "store-sh-jingan", Pudong: "store-sh-pudong" },
    skuByItemId: { "TM-600100": "KETTLE-1L7", "TM-600300": "TOWEL-SET-4" },
    callbackUrl: "https://open.tmall.example/oms/status",
  },
};

const platformParameter = { name: "platform", in: "path", required: true, schema: { type: "string", maxLength: 32 }, example: "tmall" };
const ifMatch = ifMatchParameter();
const withEtag = (description: string) => ({
  description,
  headers: { ...requestIdHeader, ETag: { description: 'The version, e.g. "3", for If-Match.', schema: { type: "string" } } },
  content: json(ref("PlatformSettings")),
});
const chainWide = "Chain-wide tokens only (head office): a caller held to stores is refused.";

export function platformPaths() {
  return {
    "/v1/platforms": {
      get: {
        operationId: "listPlatformSettings",
        summary: "Every marketplace's settings: stores by district, items, callback URL",
        description: `Never a secret: only whether intake holds one. ${chainWide} Who: ${permissions["view-platform-settings"].who}.`,
        parameters: common,
        responses: { "200": ok("The marketplaces' settings.", "PlatformSettingsList"), "403": forbidden(permissions["view-platform-settings"].who) },
      },
    },
    "/v1/platforms/{platform}": {
      get: {
        operationId: "getPlatformSettings",
        summary: "A marketplace's settings",
        description: `${chainWide} Who: ${permissions["view-platform-settings"].who}.`,
        parameters: [platformParameter, ...common],
        responses: {
          "200": withEtag("The settings."),
          "400": problem("Not a platform's name."),
          "403": forbidden(permissions["view-platform-settings"].who),
          "404": problem("No settings for that platform."),
        },
      },
      put: {
        operationId: "publishPlatformSettings",
        summary: "Set a marketplace's settings: which store serves a district, which item an item id is, where statuses are pushed",
        description:
          "Validated whole against the catalogue (stores that exist, items on sale) and written as the next version with who and when " +
          "(GET /v1/catalogue-changes?platform=…); the order path reads them at once on this replica, within 10 s on the others. " +
          "The same settings again change nothing (200, same version). No event is published: no other service reads them. " +
          `Only platforms intake reads orders from (404 otherwise). The secret is not set here (INTAKE_PLATFORM_SECRETS). ${chainWide} ` +
          `Who: ${permissions["publish-platform-settings"].who}.`,
        parameters: [platformParameter, ifMatch, ...common],
        requestBody: body("PlatformSettingsBody", platformExamples.settings),
        responses: {
          "201": withEtag("Created: the platform's first version."),
          "200": withEtag("Replaced (or unchanged when the same settings were sent)."),
          "400": problem("Wrong fields, one message each: nothing was written."),
          "403": forbidden(permissions["publish-platform-settings"].who),
          "404": problem("Intake takes no orders from a platform of that name."),
          "412": problem("If-Match named a version that is no longer the one in force (someone changed it meanwhile); nothing was written."),
        },
      },
    },
  };
}

export function platformSchemas() {
  return {
    PlatformSettingsBody: jsonSchemaOf(PlatformSettingsBodySchema, "input"),
    PlatformSettings: jsonSchemaOf(PlatformSettingsViewSchema, "output"),
    PlatformSettingsList: jsonSchemaOf(PlatformSettingsListSchema, "output"),
  };
}
