import { NotFoundError, ValidationError } from "@oms/errors";
import { chainWide } from "@oms/identity";
import type { PlatformDirectory } from "../../adapters/pg/platform-repository.ts";
import type { ChannelAdapter } from "../../domain/channel-mapping.ts";
import type { MarketplaceOrder } from "../../domain/marketplaces/platform-routing.ts";
import { OutOfServiceScopeError } from "../../domain/pre-check.ts";
import type { RequestContext } from "../request-context.ts";
import { acceptOrder, type AcceptOrderDeps, type AcceptOrderResult } from "./accept-order.ts";

export interface AcceptMarketplaceOrderDeps extends AcceptOrderDeps {
  platforms: PlatformDirectory;
}

/**
 * A marketplace's order (already authenticated and shaped by the port): translated by the
 * platform's adapter into an OrderSubmission and accepted like any other, deduplicated by
 * the platform's order id. Every refusal names the platform's own fields.
 */
export async function acceptMarketplaceOrder<Payload>(
  deps: AcceptMarketplaceOrderDeps,
  context: RequestContext,
  platform: string,
  adapter: ChannelAdapter<MarketplaceOrder<Payload>>,
  order: Payload,
): Promise<AcceptOrderResult> {
  const routing = await deps.platforms.routingOf(platform);
  if (!routing) throw new NotFoundError("platform.not-configured", `intake has no store routing or item mapping for ${platform}`);
  const submission = adapter.toSubmission({ order, routing });
  try {
    // A marketplace is held to its own channel's orders, not to stores: no store scope narrows what it is told.
    return await acceptOrder(deps, context, { submission, callerScope: chainWide });
  } catch (error) {
    throw inPlatformTerms(error, adapter);
  }
}

function inPlatformTerms(error: unknown, adapter: ChannelAdapter<never>): unknown {
  if (!(error instanceof ValidationError) || !adapter.platformFieldOf) return error;
  const rename = adapter.platformFieldOf;
  const fields = error.fields.map((f) => ({ field: rename(f.field), message: f.message }));
  return error instanceof OutOfServiceScopeError ? new OutOfServiceScopeError(fields) : new ValidationError(fields, undefined, error.code);
}
