import path from "node:path";
import { Topics } from "@oms/contracts";
import { OutboxWriter } from "@oms/messaging";
import { migrationsFromDirectory } from "@oms/postgres";
import { Histogram } from "@oms/observability";
import { callerVerifier, revocationChecked, type TokenTrust } from "@oms/identity";
import { grpcPeerOf, loadDemoChain, type ServiceDefinition } from "@oms/service-kit";
import { afterSalesCasesAt } from "./adapters/grpc-clients/after-sales.ts";
import { archiveDossiersAt } from "./adapters/grpc-clients/archive.ts";
import { billingSettlementsAt } from "./adapters/grpc-clients/billing.ts";
import { dispatchTasksAt } from "./adapters/grpc-clients/dispatch.ts";
import { fulfillmentOrdersAt } from "./adapters/grpc-clients/fulfillment.ts";
import { warehouseStockAt } from "./adapters/grpc-clients/warehouse.ts";
import { cachedStoreCatalogue } from "./adapters/pg/catalogue-repository.ts";
import { cachedFlaggedCustomers } from "./adapters/pg/flagged-customer-repository.ts";
import { cachedPlatformDirectory } from "./adapters/pg/platform-repository.ts";
import { tokenRevocationRepository } from "./adapters/pg/token-revocation-repository.ts";
import { acceptanceBatcher, acceptanceBatchingFromEnv, type AcceptanceBatching } from "./app/acceptance-batching.ts";
import { callerTrustOf } from "./app/caller-token-trust.ts";
import { loadSheddingFromEnv, type LoadShedding } from "./app/load-shedding-settings.ts";
import { customerMatchingFromEnv, developmentMatchingWarning, type CustomerMatching } from "./app/customer-matching.ts";
import { matchFlaggedCustomersAfresh } from "./app/match-flagged-customers-afresh.ts";
import { orderContactsFromEnv, PERSONAL_DATA_KEYS_VARIABLE } from "./app/order-contacts.ts";
import { resourceStoresOf } from "./app/resource-stores.ts";
import { sealStoredContacts } from "./app/seal-stored-contacts.ts";
import { seedDemoCatalogue } from "./app/commands/seed-demo-catalogue.ts";
import { platformSecretsOf } from "./app/platform-secrets.ts";
import { defaultStatusPushOptions, statusPushWorker, type StatusPushOptions } from "./app/status-push-worker.ts";
import { rememberedTokensFromEnv, tokenAgeLimitsFromEnv, type TokenAgeLimits } from "./app/token-age-limits.ts";
import { revocationRefreshMsFromEnv, tokenRevocationList } from "./app/token-revocation-list.ts";
import { fulfillmentStatusConsumer } from "./ports/consumers/fulfillment-status.ts";
import { readablePlatforms } from "./ports/http/marketplace-routes.ts";
import { openApiDocument } from "./ports/http/openapi.ts";
import { startHttpApi } from "./ports/http/server.ts";

export interface IntakeOptions {
  /** The demo chain file, whose demo order is the API document's example. */
  chainFile?: string;
  /** How concurrent acceptances share commits; from the environment by default (acceptanceBatchingFromEnv). */
  acceptanceBatching?: AcceptanceBatching;
  /** How stale the in-memory lists of flagged customers and marketplaces may be (default: flagged customers 1 s, marketplaces 10 s). */
  cacheMaxAgeMs?: number;
  /** Retries and polling of the status pushes to marketplaces (tests shorten them). */
  statusPush?: Partial<StatusPushOptions>;
  /** Whose tokens name the callers; from the environment by default (callerTrustOf). */
  callerTrust?: TokenTrust;
  /** How often the token revocations written by other intakes are read; INTAKE_TOKEN_REVOCATIONS_REFRESH_MS by default. */
  tokenRevocationsRefreshMs?: number;
  /** How old a token may be and how long a revocation is consulted; INTAKE_TOKEN_MAX_AGE_SECONDS and INTAKE_TOKEN_REVOCATIONS_HORIZON_SECONDS by default. */
  tokenAgeLimits?: TokenAgeLimits;
  /** How many verified tokens are remembered (0: none); INTAKE_TOKEN_REMEMBERED by default. */
  rememberedTokens?: number;
  /** The key flagged customers' phones and e-mails are digested under; INTAKE_CUSTOMER_MATCHING_KEY by default (customerMatchingFromEnv). */
  customerMatching?: CustomerMatching;
  /** When requests are refused with 503 instead of queued; INTAKE_SHED_* by default (loadSheddingFromEnv). */
  loadShedding?: LoadShedding;
}

const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "intake");

/**
 * Intake's composition root: the catalogue, the orders API (with marketplaces and the review
 * queue), its clients of fulfillment, billing, the warehouse, dispatch and the archive, and the status
 * pushes to marketplaces.
 */
export function createIntakeService(options: IntakeOptions = {}): ServiceDefinition {
  return {
    name: "intake",
    topic: Topics.intakeOrder,
    migrations,
    build: async ({ config, logger, registry, pool, outbox }) => {
      // Read first: a wrong setting stops the start before anything is done.
      const shedding = options.loadShedding ?? loadSheddingFromEnv();
      logger.info({ maxEventLoopDelayMs: shedding.maxEventLoopDelayMs, maxHeapUsedMb: shedding.maxHeapUsedBytes / (1024 * 1024), retryAfterSeconds: shedding.retryAfterSeconds }, "requests shed past these thresholds (0: not watched)");
      const chain = await loadDemoChain(options.chainFile);
      if (config.seedDemo) logger.info(await seedDemoCatalogue(pool, chain), "demo catalogue seeded");
      const platformSecrets = platformSecretsOf(process.env, chain, config.seedDemo);
      logger.info({ platforms: [...platformSecrets.keys()] }, "marketplaces with a signing secret");
      const callerTrust = options.callerTrust ?? callerTrustOf(process.env, chain, config.seedDemo);
      logger.info({ issuer: callerTrust.issuer, audience: callerTrust.audience }, "callers' tokens trusted");
      const tokenAge = options.tokenAgeLimits ?? tokenAgeLimitsFromEnv();
      const rememberedTokens = options.rememberedTokens ?? rememberedTokensFromEnv();
      const revocations = tokenRevocationList(
        { readAfter: (afterId, limit, from) => tokenRevocationRepository.after(pool, afterId, limit, from), logger: logger.child({ component: "token-revocations" }), registry },
        { refreshMs: options.tokenRevocationsRefreshMs ?? revocationRefreshMsFromEnv(), horizonSeconds: tokenAge.revocationHorizonSeconds },
      );
      const { contacts, development } = orderContactsFromEnv(process.env);
      if (development) logger.warn(`${PERSONAL_DATA_KEYS_VARIABLE} is not set: customers' contacts are sealed under a development key anyone can derive`);
      else logger.info({ keyId: contacts.keyId }, "customers' contacts sealed under the configured key");
      await sealStoredContacts(pool, contacts, logger);
      const matching = options.customerMatching ?? customerMatchingFromEnv(process.env);
      if (matching.source === "development") {
        logger.warn(developmentMatchingWarning);
      } else logger.info({ keyCheck: matching.keyCheck }, "flagged customers' phones and e-mails matched under the configured key");
      await matchFlaggedCustomersAfresh(pool, { contacts, matching }, logger);
      const { peers } = config;
      const fulfillment = fulfillmentOrdersAt(peers.fulfillment);
      const billing = billingSettlementsAt(peers.billing);
      const warehouse = warehouseStockAt(peers.warehouse);
      const dispatch = dispatchTasksAt(peers.dispatch);
      const archive = archiveDossiersAt(peers.archive);
      const afterSales = afterSalesCasesAt(peers["after-sales"]);
      const batchSize = new Histogram({
        name: "oms_intake_acceptance_batch_size",
        help: "Orders committed per transaction; fell_back=true when a failed batch was committed one by one",
        labelNames: ["fell_back"],
        buckets: [1, 2, 5, 10, 20, 50, 100, 200],
        registers: [registry],
      });
      const acceptances = acceptanceBatcher(
        { pool, outbox, logger: logger.child({ component: "acceptance-batching" }), onBatch: (size, fellBack) => batchSize.observe({ fell_back: String(fellBack) }, size) },
        options.acceptanceBatching ?? acceptanceBatchingFromEnv(),
      );
      const cache = { maxAgeMs: options.cacheMaxAgeMs };
      const accept = {
        pool,
        catalogue: cachedStoreCatalogue(pool),
        commit: acceptances.commit,
        flaggedCustomers: cachedFlaggedCustomers(pool, cache),
        contactDigestOf: matching.digestOf,
        contacts,
      };
      const platforms = cachedPlatformDirectory(pool, cache);
      // The chain's stores and price list (ADR 028) go out on a topic of their own, keyed by store or item.
      const catalogue = { pool, outbox: new OutboxWriter({ topic: Topics.intakeCatalogue }), catalogue: accept.catalogue, chainCurrency: chain.currency };
      const statusPushes = statusPushWorker(
        { pool, platforms, secrets: platformSecrets, logger: logger.child({ component: "status-push" }) },
        { ...defaultStatusPushOptions, ...options.statusPush },
      );
      // Read whole before intake serves anyone (and before any worker starts): a caller whose tokens were withdrawn
      // must not get in while it loads, and an intake that cannot read them does not start.
      await revocations.start();
      statusPushes.start();
      const resourceStores = resourceStoresOf({ pool, fulfillment, dispatch, afterSales, billing, archive });
      const localHost = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
      return {
        http: (readiness, { grpcPort }) =>
          startHttpApi({
            host: config.host,
            port: config.opsPort,
            logger,
            registry,
            readiness,
            shedding,
            // The verifier and the list share the limits: a revocation is forgotten only once every token it cuts off is too old anyway.
            callers: revocationChecked(callerVerifier(callerTrust, { maxTokenAgeSeconds: tokenAge.maxTokenAgeSeconds, clockToleranceSeconds: tokenAge.clockToleranceSeconds, rememberedTokens }), revocations),
            resourceStores,
            orders: { accept, orders: { pool, fulfillment } },
            marketplaces: { accept: { ...accept, platforms }, secrets: platformSecrets },
            reviews: { pool, outbox, platforms },
            corrections: { pool, outbox, catalogue: accept.catalogue, fulfillment, contacts },
            contacts: { pool, contacts },
            customerFlags: { pool, flaggedCustomers: accept.flaggedCustomers, matching, contacts },
            shortages: { pool, fulfillment, catalogue: accept.catalogue },
            steps: { orders: { pool, fulfillment }, settlements: { pool, billing } },
            refunds: { pool, billing },
            invoices: { pool, billing },
            credit: { pool, billing },
            reconciliations: { pool, billing },
            warehouse: { warehouse },
            dispatch: { dispatch, settlements: { pool, billing } },
            worklists: { dispatch },
            serviceBookings: { pool, dispatch },
            afterSales: { afterSales },
            archive: { archive, contacts: { pool, contacts } },
            catalogue,
            platforms: { pool, platforms, secrets: platformSecrets, readablePlatforms },
            tokenRevocations: { pool, revocations, resourceStores },
            system: {
              // /healthz asks intake's own gRPC server too, wherever it landed (port 0 in tests).
              grpcAddressOf: (service) => (service === "intake" ? grpcPeerOf("intake", `${localHost}:${grpcPort}`, config.grpcTls) : peers[service]),
              openApi: openApiDocument({ order: chain.demoOrder }),
            },
          }),
        consumers: [fulfillmentStatusConsumer(platforms)],
        readiness: { "token-revocations": revocations.readiness },
        stopWork: async () => {
          revocations.stop();
          await statusPushes.stop();
        },
        close: async () => {
          await acceptances.drain();
          fulfillment.close();
          billing.close();
          warehouse.close();
          dispatch.close();
          archive.close();
          afterSales.close();
        },
      };
    },
  };
}

export const intakeService = createIntakeService();
