import pg from "pg";
import type { Logger } from "@oms/observability";

// NOTIFY is per database and delivered only when the transaction commits, so a signal
// never announces work that was rolled back.
const pendingChannel = (schema: string) => `${schema}_tasks_pending`;
const workloadChannel = (schema: string) => `${schema}_workload_changed`;

/** Announces new (or newly due) pending tasks to every instance's assignment worker. */
export async function signalPendingTasks(tx: pg.ClientBase, schema: string): Promise<void> {
  await tx.query("SELECT pg_notify($1, '')", [pendingChannel(schema)]);
}

/** Announces that tasks of these stores ended, so their workload counters are rebuilt. */
export async function signalWorkloadChanged(tx: pg.ClientBase, schema: string, storeIds: readonly string[]): Promise<void> {
  if (storeIds.length === 0) return;
  await tx.query("SELECT pg_notify($1, store_id) FROM unnest($2::text[]) AS store_id", [workloadChannel(schema), storeIds]);
}

export interface TaskSignalHandlers {
  pendingTasks(): void;
  workloadChanged(storeId: string): void;
}

export interface TaskSignalListener {
  close(): Promise<void>;
}

/**
 * LISTENs on its own connection. Losing it only costs latency (the worker also polls and
 * rebuilds counters that disagree): it reconnects after a second and then reports pending
 * tasks, for whatever was announced while it was away.
 */
export async function listenForTaskSignals(url: string, schema: string, handlers: TaskSignalHandlers, logger: Logger): Promise<TaskSignalListener> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const next = new pg.Client({ connectionString: url, application_name: "dispatch-signals" });
    next.on("notification", ({ channel, payload }) => {
      if (channel === workloadChannel(schema) && payload) handlers.workloadChanged(payload);
      else handlers.pendingTasks();
    });
    next.on("error", (error) => {
      logger.warn({ err: error }, "task-signal listener lost; polling until it is back");
      client = undefined;
      next.end().catch(() => {}); // Already broken; closing it is best effort.
      scheduleReconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pendingChannel(schema)}; LISTEN ${workloadChannel(schema)}`);
      client = next;
      handlers.pendingTasks();
    } catch (error) {
      logger.warn({ err: error }, "task-signal listener could not connect; polling only");
      await next.end().catch(() => {}); // Never connected; nothing to close cleanly.
      scheduleReconnect();
    }
  };
  const scheduleReconnect = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, 1_000);
    retry.unref();
  };

  await connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(retry);
      await client?.end();
    },
  };
}
