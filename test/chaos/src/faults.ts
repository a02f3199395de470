import type { RunningStack } from "@oms/infra";
import type { ServiceName } from "@oms/service-kit";
import type { ControlledServer } from "../../support/server-control.ts";
import type { ToolServers } from "../../support/tool-servers.ts";

/**
 * The faults the harness injects under load. Each one is what an operator fears:
 * a process killed mid-transaction, two at once, the broker or a database going away
 * and coming back, a consumer frozen until the group gives up on it.
 */
export interface FaultTargets {
  stack: RunningStack;
  servers: ToolServers;
  postgres: ControlledServer;
  redis: ControlledServer;
  /** Services the harness itself stopped: the supervisor leaves them alone. */
  faulted: Set<ServiceName>;
  log: (message: string) => void;
}

export interface Fault {
  name: string;
  inject(targets: FaultTargets): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** kill -9, a moment of absence, then a start like a supervisor's. */
export function killService(name: ServiceName, downMs = 1_000): Fault {
  return { name: `kill -9 ${name}`, inject: (targets) => killAndRestart(targets, [name], downMs) };
}

export function killTwo(a: ServiceName, b: ServiceName, downMs = 1_000): Fault {
  return { name: `kill -9 ${a} and ${b} at once`, inject: (targets) => killAndRestart(targets, [a, b], downMs) };
}

async function killAndRestart(targets: FaultTargets, names: ServiceName[], downMs: number): Promise<void> {
  for (const name of names) targets.faulted.add(name);
  try {
    await Promise.all(names.map((name) => targets.stack.kill(name, "SIGKILL")));
    await sleep(downMs);
    await Promise.all(names.map((name) => targets.stack.restart(name)));
  } finally {
    for (const name of names) targets.faulted.delete(name);
  }
}

/** Stops the broker (graceful: its own shutdown) and starts it again on the same data. Only a broker this run started. */
export function restartKafka(): Fault {
  return {
    name: "restart the Kafka broker",
    inject: async (targets) => {
      await targets.servers.restartKafka();
    },
  };
}

export function restartPostgres(): Fault {
  return { name: "restart Postgres", inject: (targets) => targets.postgres.restart() };
}

export function restartRedis(): Fault {
  return { name: "restart Redis", inject: (targets) => targets.redis.restart() };
}

/**
 * Freezes a service (SIGSTOP) for longer than its consumer session timeout, so the
 * broker gives its partitions up, then lets it run on (SIGCONT): it must rejoin and
 * nothing it was doing may be applied twice.
 */
export function pauseConsumer(name: ServiceName, pauseMs: number): Fault {
  return {
    name: `pause ${name} for ${Math.round(pauseMs / 1000)} s (past its session timeout)`,
    inject: async (targets) => {
      const pid = targets.stack.services[name].process.pid;
      if (!pid) throw new Error(`${name} has no process to pause`);
      targets.faulted.add(name);
      try {
        process.kill(pid, "SIGSTOP");
        await sleep(pauseMs);
      } finally {
        process.kill(pid, "SIGCONT");
        targets.faulted.delete(name);
      }
    },
  };
}

/**
 * Restarts any service that exits without the harness having stopped it (a crash under
 * a fault), as a process supervisor would, and records that it happened: a service
 * that dies when Postgres blinks is a finding even if nothing was lost.
 */
export class Supervisor {
  readonly crashes: { service: ServiceName; at: number; during: string; code: string }[] = [];
  #timer: NodeJS.Timeout | undefined;
  #restarting = new Set<ServiceName>();
  #stopped = false;
  current = "steady load";
  readonly targets: FaultTargets;

  constructor(targets: FaultTargets) {
    this.targets = targets;
  }

  start(): void {
    this.#timer = setInterval(() => this.#check(), 500);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
  }

  get restarting(): number {
    return this.#restarting.size;
  }

  #check(): void {
    for (const service of Object.values(this.targets.stack.services)) {
      const child = service.process;
      const exited = child.exitCode !== null || child.signalCode !== null;
      if (!exited || this.targets.faulted.has(service.name) || this.#restarting.has(service.name)) continue;
      this.crashes.push({ service: service.name, at: Date.now(), during: this.current, code: String(child.exitCode ?? child.signalCode) });
      this.targets.log(`${service.name} exited by itself (${child.exitCode ?? child.signalCode}) during "${this.current}"; restarting it`);
      void this.#restart(service.name);
    }
  }

  async #restart(name: ServiceName): Promise<void> {
    this.#restarting.add(name);
    try {
      for (let attempt = 1; attempt <= 20 && !this.#stopped; attempt++) {
        try {
          await this.targets.stack.restart(name);
          return;
        } catch (error) {
          this.targets.log(`restarting ${name} failed (attempt ${attempt}): ${(error as Error).message}`);
          await sleep(Math.min(1_000 * attempt, 5_000));
        }
      }
    } finally {
      this.#restarting.delete(name);
    }
  }
}
