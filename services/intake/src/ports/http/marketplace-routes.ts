import type { FastifyInstance, FastifyRequest } from "fastify";
import type { z } from "zod";
import { NotFoundError, ValidationError } from "@oms/errors";
import { acceptMarketplaceOrder, type AcceptMarketplaceOrderDeps } from "../../app/commands/accept-marketplace-order.ts";
import type { ChannelAdapter } from "../../domain/channel-mapping.ts";
import { pinduoduoAdapter } from "../../domain/marketplaces/pinduoduo.ts";
import type { MarketplaceOrder } from "../../domain/marketplaces/platform-routing.ts";
import { verifyPlatformSignature } from "../../domain/marketplaces/platform-signature.ts";
import { tmallAdapter } from "../../domain/marketplaces/tmall.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { PinduoduoOrderSchema, TmallOrderSchema } from "./marketplace-schemas.ts";
import { requestContextOf } from "./request-context-of.ts";
import { answerAcceptance } from "./order-routes.ts";

export interface MarketplaceRouteDeps {
  accept: AcceptMarketplaceOrderDeps;
  /** Each platform's signing secret (INTAKE_PLATFORM_SECRETS); never logged. */
  secrets: ReadonlyMap<string, string>;
  /** Injected in tests; the wall clock otherwise. */
  nowMs?: () => number;
}

interface Marketplace {
  accept(deps: AcceptMarketplaceOrderDeps, request: FastifyRequest, body: unknown): ReturnType<typeof acceptMarketplaceOrder>;
}

/** A platform's payload schema with its adapter; the types prove the schema's output is what the adapter reads. */
function marketplace<P>(platform: string, schema: z.ZodType<P>, adapter: ChannelAdapter<MarketplaceOrder<P>>): Marketplace {
  return {
    accept: (deps, request, body) => {
      const context = requestContextOf(request, { kind: "platform", id: platform, role: "platform" });
      return acceptMarketplaceOrder(deps, context, platform, adapter, parseOrRefuse(schema, body));
    },
  };
}

const marketplaces: Record<string, Marketplace> = {
  tmall: marketplace("tmall", TmallOrderSchema, tmallAdapter),
  pinduoduo: marketplace("pinduoduo", PinduoduoOrderSchema, pinduoduoAdapter),
};

/** The platforms intake reads orders from: only they may be given settings. */
export const readablePlatforms: readonly string[] = Object.keys(marketplaces);

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
};

/**
 * `POST /v1/channels/{platform}/orders`: a marketplace pushes an order. The body is kept
 * raw (its own content-type parser, in this route's scope only) because the signature is
 * over the exact bytes; it is parsed only once the signature holds. The caller is the
 * platform, whatever token the request carries: the route proves its caller itself.
 */
export function registerMarketplaceRoutes(app: FastifyInstance, deps: MarketplaceRouteDeps): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

    scope.post("/v1/channels/:platform/orders", { config: { callerProvenByRoute: true } }, async (request, reply) => {
      const { platform } = request.params as { platform: string };
      const market = Object.hasOwn(marketplaces, platform) ? marketplaces[platform] : undefined;
      if (!market) throw new NotFoundError("platform.unknown", `intake takes no orders from a platform called that; it takes ${Object.keys(marketplaces).join(", ")}`);
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signed = { timestamp: header(request, "x-platform-timestamp"), signature: header(request, "x-platform-signature"), rawBody };
      verifyPlatformSignature(platform, deps.secrets.get(platform), signed, deps.nowMs?.() ?? Date.now());

      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString("utf8"));
      } catch {
        throw new ValidationError([{ field: "body", message: "must be a JSON object" }], "the body is not JSON", "request.invalid-json-body");
      }
      return answerAcceptance(reply, await market.accept(deps.accept, request, body));
    });
  });
}
