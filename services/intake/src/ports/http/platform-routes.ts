import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ForbiddenError } from "@oms/errors";
import { publishPlatformSettings, type PlatformSettingsDeps } from "../../app/commands/publish-platform-settings.ts";
import { getPlatformSettings, listPlatformSettings, platformSettingsView } from "../../app/queries/platform-views.ts";
import { IfMatchSchema } from "./catalogue-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { PlatformParamsSchema, PlatformSettingsBodySchema } from "./platform-schemas.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { roleFirst } from "./store-scope.ts";

const platformOf = (request: FastifyRequest) => parseOrRefuse(PlatformParamsSchema, request.params, "platform").platform;

/**
 * The settings are head office's, reading them included (they name every store a platform's
 * orders go to): the platform path parameter is chain-level to the store scope, so the routes
 * refuse a caller held to stores themselves.
 */
function assertChainWide(request: FastifyRequest): void {
  if (request.storeScope.kind !== "chain") {
    throw new ForbiddenError("catalogue.platform-settings-chain-wide", "marketplaces' settings are the chain's: only staff working chain-wide (head office) read or change them");
  }
}

const withVersion = (reply: FastifyReply, version: number) => reply.header("etag", `"${version}"`);

/** Marketplaces' settings (ADR 028, "Marketplaces' settings"): which store serves a district, which item an item id is, where pushes go. */
export function registerPlatformRoutes(app: FastifyInstance, deps: PlatformSettingsDeps): void {
  app.get("/v1/platforms", roleFirst("view-platform-settings"), async (request) => {
    const context = permittedContextOf(request, "view-platform-settings");
    assertChainWide(request);
    return listPlatformSettings(deps, context);
  });

  app.get("/v1/platforms/:platform", roleFirst("view-platform-settings"), async (request, reply) => {
    const context = permittedContextOf(request, "view-platform-settings");
    assertChainWide(request);
    const settings = await getPlatformSettings(deps, context, platformOf(request));
    return withVersion(reply, settings.version).send(settings);
  });

  app.put("/v1/platforms/:platform", roleFirst("publish-platform-settings"), async (request, reply) => {
    const context = permittedContextOf(request, "publish-platform-settings");
    assertChainWide(request);
    const platform = platformOf(request);
    const ifMatch = parseOrRefuse(IfMatchSchema, request.headers["if-match"], "If-Match");
    const body = parseOrRefuse(PlatformSettingsBodySchema, request.body);
    const { created, platform: stored } = await publishPlatformSettings(deps, context, { settings: { platform, ...body }, ifMatch });
    return withVersion(reply, stored.version)
      .code(created ? 201 : 200)
      .send(platformSettingsView(stored, deps.secrets));
  });
}
