import { randomUUID } from "node:crypto";
import net from "node:net";
import { describe, expect, it } from "vitest";
import pg from "pg";
import { Topics, deadLetterTopicOf, type OrderEvent } from "@oms/contracts";
import { createLogger, createMetricsRegistry, standardMetrics, type StandardMetrics } from "@oms/observability";
import { createPool } from "@oms/postgres";
import { eventually, orderStatusChanged, publishEvents, readTopic, testKafka, useMigratedDatabase } from "@oms/testing";
import { EventConsumer, connectProducer, messagingMigrations } from "@oms/messaging";

/**
 * The database going away under a consumer is not the messages' fault (docs/chaos: a
 * Postgres restart dead-lettered 36 healthy events). Here the consumer's database really
 * is unreachable — its connections cut and refused, or terminated by the server while in
 * a transaction — for longer than the per-message retries last; every event must still
 * be applied exactly once afterwards, and none dead-lettered.
 */

const logger = createLogger({ service: "consumer-infrastructure-test", level: "fatal", pretty: false });
const db = useMigratedDatabase("consumer-infrastructure-test", [
  ...messagingMigrations,
  { id: "test/001_effects", sql: "CREATE TABLE effects (id bigserial PRIMARY KEY, order_id text NOT NULL, event_id text NOT NULL)" },
]);
const kafka = () => testKafka("consumer-infrastructure-test");

/**
 * A TCP proxy between the consumer and Postgres that can play a database restart:
 * `down()` cuts every open connection and refuses new ones, `up()` lets them through again.
 */
async function startDatabaseProxy(databaseUrl: string) {
  const target = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await listen();
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    async down() {
      const closed = new Promise((resolve) => server!.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    up: listen,
  };
}

async function effectsOf(orderIds: string[]): Promise<number[]> {
  const { rows } = await db.pool.query<{ order_id: string; n: number }>(
    "SELECT order_id, count(*)::int AS n FROM effects WHERE order_id = ANY($1) GROUP BY order_id",
    [orderIds],
  );
  return orderIds.map((id) => rows.find((r) => r.order_id === id)?.n ?? 0);
}

async function infrastructureRetries(metrics: StandardMetrics): Promise<number> {
  const { values } = await metrics.eventsConsumed.get();
  return values.filter((v) => v.labels.outcome === "retried-infrastructure").reduce((sum, v) => sum + v.value, 0);
}

async function deadLettersOf(events: OrderEvent[]): Promise<number> {
  const ids = new Set(events.map((e) => e.eventId));
  const letters = await readTopic(deadLetterTopicOf(Topics.fulfillmentOrder), db.namespace.name);
  return letters.filter((m) => ids.has(String(m.headers?.["event-id"]))).length;
}

/** A consumer whose effect is one row per event, on a pool of its own, counting its group joins. */
async function startConsumer(options: { pool: pg.Pool; handlerDelayMs?: number; sessionTimeoutMs?: number }) {
  const producer = await connectProducer(kafka());
  const metrics = standardMetrics(createMetricsRegistry("consumer-infrastructure-test"));
  const consumer = new EventConsumer({
    kafka: kafka(),
    pool: options.pool,
    producer,
    logger,
    metrics,
    name: `infra-${randomUUID()}`,
    topics: [Topics.fulfillmentOrder],
    namespace: db.namespace.name,
    // Two quick tries: the old consumer spent these within 100 ms and dead-lettered.
    maxAttempts: 2,
    infrastructureBackoff: { initialMs: 100, maxMs: 1_000 },
    ...(options.sessionTimeoutMs && { sessionTimeoutMs: options.sessionTimeoutMs }),
    handle: async (event, { tx }) => {
      if (options.handlerDelayMs) await tx.query("SELECT pg_sleep($1)", [options.handlerDelayMs / 1000]);
      await tx.query("INSERT INTO effects (order_id, event_id) VALUES ($1, $2)", [event.orderId, event.eventId]);
    },
  });
  let joins = 0;
  consumer.kafkaConsumer.on(consumer.kafkaConsumer.events.GROUP_JOIN, () => joins++);
  await consumer.start();
  return {
    metrics,
    joins: () => joins,
    stop: async () => {
      await consumer.stop();
      await producer.disconnect();
    },
  };
}

describe("a consumer whose database goes away", () => {
  it("waits out a database that cuts and refuses connections past the session timeout, staying in its group, then applies every event once", async () => {
    const proxy = await startDatabaseProxy(db.namespace.databaseUrl);
    const pool = createPool({ url: proxy.url, schema: "public", applicationName: "infra-proxy-consumer" });
    // The broker's smallest session: an outage twice as long expires it unless the consumer heartbeats while it waits.
    const consumer = await startConsumer({ pool, sessionTimeoutMs: 6_000 });
    try {
      const warmUp = orderStatusChanged(randomUUID());
      await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [warmUp]);
      await eventually(async () => ((await effectsOf([warmUp.orderId]))[0] === 1 ? true : undefined));
      const joinsBefore = consumer.joins();

      await proxy.down();
      const during = Array.from({ length: 6 }, () => orderStatusChanged(randomUUID()));
      await publishEvents(db.namespace.name, Topics.fulfillmentOrder, during);
      // Far more failed tries than maxAttempts, over longer than the session timeout.
      await eventually(async () => ((await infrastructureRetries(consumer.metrics)) >= 6 ? true : undefined), 30_000);
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      expect(await effectsOf(during.map((e) => e.orderId))).toEqual([0, 0, 0, 0, 0, 0]);
      await proxy.up();

      await eventually(async () => ((await effectsOf(during.map((e) => e.orderId))).every((n) => n >= 1) ? true : undefined), 30_000);
      // A marker after the outage: once it is applied, everything before it has been too.
      const marker = orderStatusChanged(randomUUID());
      await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [marker]);
      await eventually(async () => ((await effectsOf([marker.orderId]))[0] === 1 ? true : undefined));

      expect(await effectsOf(during.map((e) => e.orderId))).toEqual([1, 1, 1, 1, 1, 1]);
      expect(await deadLettersOf(during)).toBe(0);
      // Heartbeats kept the membership: no new join (a rebalance) during the outage.
      expect(consumer.joins()).toBe(joinsBefore);
    } finally {
      await consumer.stop();
      await pool.end();
      await proxy.down().catch(() => {});
    }
  });

  it("applies each event once when the server keeps terminating its connections in the middle of transactions", async () => {
    const applicationName = `infra-terminated-${randomUUID().slice(0, 8)}`;
    const pool = createPool({ url: db.namespace.databaseUrl, schema: "public", applicationName });
    // Each transaction holds its connection for a while, so the terminations land inside them (57P01).
    const consumer = await startConsumer({ pool, handlerDelayMs: 150 });
    let terminated = 0;
    let killing = true;
    const killer = (async () => {
      while (killing) {
        const { rows } = await db.pool.query<{ n: number }>(
          "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
          [applicationName],
        );
        terminated += rows[0]!.n;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      const events = Array.from({ length: 8 }, () => orderStatusChanged(randomUUID()));
      await publishEvents(db.namespace.name, Topics.fulfillmentOrder, events);
      await eventually(async () => (terminated >= 10 && (await infrastructureRetries(consumer.metrics)) >= 6 ? true : undefined), 30_000);
      killing = false;
      await killer;

      await eventually(async () => ((await effectsOf(events.map((e) => e.orderId))).every((n) => n >= 1) ? true : undefined), 30_000);
      const marker = orderStatusChanged(randomUUID());
      await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [marker]);
      await eventually(async () => ((await effectsOf([marker.orderId]))[0] === 1 ? true : undefined));

      expect(await effectsOf(events.map((e) => e.orderId))).toEqual(events.map(() => 1));
      expect(await deadLettersOf(events)).toBe(0);
    } finally {
      killing = false;
      await killer;
      await consumer.stop();
      await pool.end();
    }
  });
});
