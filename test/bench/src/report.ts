import { topErrors } from "../../support/human-simulator.ts";
import type { BenchResults } from "./results.ts";
import type { TargetVerdict } from "./targets.ts";

/** The results as a readable page: the same figures as results.json, in tables. */
export function renderReport(r: BenchResults): string {
  const m = r.machine;
  const n = (value: number | undefined) => (value === undefined ? "–" : value.toLocaleString("en-US"));
  const lines: string[] = [
    `# Benchmark — ${m.date.slice(0, 10)}`,
    "",
    `\`${r.run.command ?? `npm run bench -- --rate ${r.run.rate} --duration ${r.run.durationS} --warmup ${r.run.warmupS}`}\` ` +
      `(think ${r.run.thinkMs[0]}–${r.run.thinkMs[1]} ms, ` +
      (r.run.waveMs ? `clerks and finance in waves gathered over ${r.run.waveMs} ms, ` : "") +
      `chain: ${r.run.chain})`,
    "",
    "## Machine",
    "",
    "| | |",
    "|---|---|",
    `| CPUs | ${m.cpus} × ${m.cpuModel} |`,
    `| memory | ${m.memoryGb} GB |`,
    `| OS | ${m.os} |`,
    `| Node | ${m.node} |`,
    `| Java | ${m.java} |`,
    `| Postgres | ${m.postgres} |`,
    `| Kafka | ${m.kafka} |`,
    `| Redis | ${m.redis} |`,
    `| load average at start | ${m.loadAverageAtStart.join(", ")} |`,
    `| date | ${m.date} |`,
    "",
    "Everything ran on this machine: the three servers, the seven services and the load generator (in the bench process).",
    "",
    "## Targets",
    "",
    "| | target | this run | met |",
    "|---|---|---|---|",
    ...r.targets.map((t) => `| ${t.name} | ${t.target} | ${t.actual} | ${verdictOf(t)} |`),
    "",
    "## Intake",
    "",
    "| offered | accepted | accepted/s | answered within the window /s | lowest 5 s | lowest second | p50 | p90 | p99 | max | not accepted (window) | dropped by the generator | worst send lag |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    `| ${n(r.intake.offered)} | ${n(r.intake.accepted)} | ${n(r.intake.acceptedPerSecond)} | ${n(r.intake.answeredPerSecond)} | ${n(r.intake.lowestFiveSeconds)} | ${n(r.intake.lowestSecond)} | ${r.intake.latencyMs.p50} ms | ${r.intake.latencyMs.p90} ms | ${r.intake.latencyMs.p99} ms | ${r.intake.latencyMs.max} ms | ${n(r.intake.failed)} | ${n(r.intake.dropped)} | ${r.intake.worstSendLagMs} ms |`,
    "",
    `Answers: ${Object.entries(r.intake.statuses).map(([k, v]) => `${k}: ${n(v)}`).join(", ") || "none"}` +
      (Object.keys(r.intake.errors).length ? `; no answer: ${Object.entries(r.intake.errors).map(([k, v]) => `${k} (${n(v)})`).join(", ")}` : ""),
    "",
    "Latency is measured from the moment each request was due (open loop), so a stall is charged to every request that waited. " +
      `The percentiles are over the ${n(r.intake.latencyMs.count)} accepted answers (200/201) of the window only: ` +
      `${n(r.intake.failed)} requests due in it were not accepted${r.intake.failed ? ` (${Object.entries(r.intake.failures).map(([k, v]) => `${k}: ${n(v)}`).join(", ")})` : ""} ` +
      `and ${n(r.intake.dropped)} were dropped by the generator (the whole run), and the latency target counts as met only when both are 0.`,
    "",
    "## Lifecycle",
    "",
    "| measured orders | reached the end | not at the end when the drain ended | reached the end /s | pipeline p50 | p90 | p99 | max | simulated people's time p50 |",
    "|---|---|---|---|---|---|---|---|---|",
    `| ${n(r.lifecycle.measuredOrders)} | ${n(r.lifecycle.reachedEnd)} | ${n(r.lifecycle.notReachedEnd)} | ${n(r.lifecycle.reachedEndPerSecond)} | ${atLeast(r)}${r.lifecycle.pipelineMs.p50} ms | ${atLeast(r)}${r.lifecycle.pipelineMs.p90} ms | ${atLeast(r)}${r.lifecycle.pipelineMs.p99} ms | ${atLeast(r)}${r.lifecycle.pipelineMs.max} ms | ${r.lifecycle.humanWaitMs.p50} ms |`,
    "",
    `End of the lifecycle per kind of order (where the simulated people leave it today): ${Object.entries(r.lifecycle.endOf).map(([k, v]) => `${k} → ${v}`).join("; ") || "–"}.`,
    "",
    `Final statuses of the measured orders: ${Object.entries(r.lifecycle.finalStatuses).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${n(v)}`).join(", ")}.`,
    "",
    "Pipeline time: from the moment the order's request was due to the moment it reached the end, minus the time the simulated people held it: " +
      "from the moment a change reached the bench (what came before is the system's) until their command left, and a wave's wait; " +
      "people acting side by side (an assignee acknowledging while the clerk picks) count once. " +
      "Every measured order counts: one not at its end when the drain ended counts with its time until then, " +
      "so p99 is a lower bound when orders did not finish, and the latency target is met only when every order finished.",
    "",
    "## Where an order's own time goes (slowest hops)",
    "",
    "From fulfillment's timeline after the run: the gap between consecutive entries of an order, for the hops whose later entry a service wrote by itself (a person's step would count their think time).",
    "",
    "| from | to | written by | hops | mean | p50 | p90 | max |",
    "|---|---|---|---|---|---|---|---|",
    ...(r.pipelineHops ?? []).map((h) => `| ${h.from} | ${h.to} | ${h.service} | ${n(h.count)} | ${h.meanMs} ms | ${h.p50Ms} ms | ${h.p90Ms} ms | ${h.maxMs} ms |`),
    "",
    "## Human steps (simulated, through the public API)",
    "",
    "| step | offered by the system | done | retries | failed | moot | most frequent refusals |",
    "|---|---|---|---|---|---|---|",
    ...r.humanSteps.map((s) => `| ${s.name} | ${s.offered ? "yes" : "not yet"} | ${n(s.done)} | ${n(s.retries)} | ${n(s.failed)} | ${n(s.moot)} | ${topErrors(s.errors)} |`),
    "",
    "## Assignment, consumers, processes",
    "",
    `Assignment decisions: ${n(r.assignment.decisions)} (${r.assignment.decisionsPerSecond}/s).`,
    "",
    "| consumer group | max lag | lag at the end |",
    "|---|---|---|",
    ...Object.keys(r.consumerLag.max).map((k) => `| ${k} | ${n(r.consumerLag.max[k])} | ${n(r.consumerLag.atEnd[k])} |`),
    "",
    "| process | max RSS | mean CPU | max CPU | CPU per order |",
    "|---|---|---|---|---|",
    ...Object.entries(r.processes.summary).map(([k, v]) => `| ${k} | ${v.maxRssMb} MB | ${v.meanCpuPercent} % | ${v.maxCpuPercent} % | ${r.processes.cpuMsPerOrder?.[k] ?? "–"} ms |`),
    "",
    "CPU: share of one core (200 % = both cores of a 2-core machine). Postgres is every backend of the server, this run's and any other's. " +
      "CPU per order: CPU time from the start of the load to the end of the drain over the orders accepted in it, the idle system's own work included — what an order costs at this rate (far more at low rates, where the pollers' work is shared by few orders), steadier between runs than the shares above.",
    "",
    cpuPerOrderLine(r),
    "",
    `Postgres, this run's database: ${n(r.postgresActivity.commitsPerSecond)} commits/s under load ` +
      `(${r.postgresActivity.commitsPerAcceptedOrder ?? "–"} per accepted order), ${n(r.postgresActivity.idleCommitsPerSecond)} commits/s with the system idle. ` +
      `Busy connections by service: ${Object.entries(r.postgresActivity.busyShareByService).map(([k, v]) => `${k} ${v} %`).join(", ") || "–"}. ` +
      checkpointLine(r.postgresActivity.checkpointsInWindow),
    "",
    `Statements (round trips) sent to Postgres per accepted order, load and drain: ${perOrderLine(r.postgresActivity.statementsPerOrder)}.`,
    "",
    `Events on the topics per accepted order, load and drain: ${perOrderLine(r.eventsPerOrder)}.`,
    "",
    `Idle CPU (6 s before the load, share of one core): ${Object.entries(r.postgresActivity.idleCpuPercent).map(([k, v]) => `${k} ${v} %`).join(", ")}.`,
    "",
    "## Floor of this machine (same run)",
    "",
    "| measurement | result |",
    "|---|---|",
    r.floor.kafka
      ? `| Kafka ProducerPerformance, ${n(r.floor.kafka.records)} × ${r.floor.kafka.recordSize} B, ${r.floor.kafka.settings} | ${n(r.floor.kafka.recordsPerSecond)} records/s (${r.floor.kafka.mbPerSecond} MB/s, p99 ${r.floor.kafka.p99LatencyMs} ms) |`
      : "| Kafka | not measured |",
    r.floor.postgres
      ? [
          `| Postgres, 2 inserts + commit per transaction, 1 connection | ${n(r.floor.postgres.singleConnectionCommitsPerSecond)} commits/s (p99 ${r.floor.postgres.singleConnectionP99Ms} ms) |`,
          `| Postgres, the same on 8 connections | ${n(r.floor.postgres.eightConnectionsCommitsPerSecond)} commits/s |`,
          `| Postgres, 100 orders per transaction, 4 connections | ${n(r.floor.postgres.batchedOrdersPerSecond)} orders/s |`,
          `| Postgres, a prepared SELECT of its parameter, 8 connections | ${n(r.floor.postgres.eightConnectionsRoundTripsPerSecond)} round trips/s |`,
        ].join("\n")
      : "| Postgres | not measured |",
    "",
    "| ratio | value |",
    "|---|---|",
    ...Object.entries(r.ratios).map(([k, v]) => `| ${k} | ${v ?? "–"} |`),
    "",
    ...(r.profiles?.length
      ? [
          "## Where the services' CPU went (--profile)",
          "",
          "| service | busy | top libraries (share of busy time) | top functions |",
          "|---|---|---|---|",
          ...r.profiles.map(
            (p) =>
              `| [${p.service}](profiles/${p.service}.html) | ${p.busyShare} % of ${Math.round(p.sampledMs / 1000)} s | ` +
              `${p.byLibrary.slice(0, 5).map((l) => `${l.library} ${l.selfShare} %`).join(", ")} | ` +
              `${p.topFunctions.slice(0, 4).map((f) => `${f.name || "(anonymous)"} ${f.selfShare} %`).join(", ").replace(/\|/g, "/")} |`,
          ),
          "",
        ]
      : []),
    ...(r.notes.length ? ["## Notes", "", ...r.notes.map((note) => `- ${note}`), ""] : []),
    "Chart: [chart.html](chart.html). Raw figures: [results.json](results.json).",
    "",
  ];
  return lines.join("\n");
}

/** A short table for the terminal at the end of a run. */
export function renderSummary(r: BenchResults): string {
  const rows: [string, string][] = [
    ["intake accepted/s", `${r.intake.acceptedPerSecond} (offered ${r.run.rate}/s; answered within the window ${r.intake.answeredPerSecond}/s, lowest 5 s ${r.intake.lowestFiveSeconds}/s, lowest second ${r.intake.lowestSecond})`],
    ["intake latency", `p50 ${r.intake.latencyMs.p50} ms, p99 ${r.intake.latencyMs.p99} ms, max ${r.intake.latencyMs.max} ms over the accepted answers; ${r.intake.failed} not accepted, ${r.intake.dropped} dropped`],
    ["lifecycle end", [...new Set(Object.values(r.lifecycle.endOf))].join(", ") || "–"],
    ["lifecycle reached end/s", String(r.lifecycle.reachedEndPerSecond)],
    ["pipeline time", `p50 ${atLeast(r)}${r.lifecycle.pipelineMs.p50} ms, p99 ${atLeast(r)}${r.lifecycle.pipelineMs.p99} ms over ${r.lifecycle.measuredOrders} orders, ${r.lifecycle.notReachedEnd} not at their end when the drain ended`],
    ["assignment decisions/s", String(r.assignment.decisionsPerSecond)],
    ["max consumer lag", Object.entries(r.consumerLag.max).map(([k, v]) => `${k} ${v}`).join(", ")],
    ["max RSS", Object.entries(r.processes.summary).map(([k, v]) => `${k} ${Math.round(v.maxRssMb)}`).join(", ")],
    ["CPU ms per order", Object.entries(r.processes.cpuMsPerOrder ?? {}).map(([k, v]) => `${k} ${v}`).join(", ")],
    ["postgres commits/s", `${r.postgresActivity.commitsPerSecond} under load (${r.postgresActivity.commitsPerAcceptedOrder ?? "–"} per accepted order), ${r.postgresActivity.idleCommitsPerSecond} idle`],
    ["postgres statements/order", perOrderLine(r.postgresActivity.statementsPerOrder)],
    ["events/order", perOrderLine(r.eventsPerOrder)],
    ["floor", `kafka ${r.floor.kafka?.recordsPerSecond ?? "–"} rec/s, pg ${r.floor.postgres?.singleConnectionCommitsPerSecond ?? "–"} commits/s (1 conn), ${r.floor.postgres?.batchedOrdersPerSecond ?? "–"} orders/s batched`],
    ["ratios", Object.entries(r.ratios).map(([k, v]) => `${k} ${v ?? "–"}`).join(", ")],
    ...r.targets.map((t): [string, string] => [`target: ${t.name}`, `${t.met === null ? "n/a" : t.met ? "met" : `NOT met (${t.note ?? "see the report"})`} — ${t.actual}`]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n");
}

function verdictOf(t: TargetVerdict): string {
  if (t.met === null) return `n/a (${t.note ?? "not measured"})`;
  return t.met ? "yes" : `**no**${t.note ? ` (${t.note})` : ""}`;
}

/** "≥ " before pipeline percentiles that include orders still on their way: their real times are longer. */
function atLeast(r: BenchResults): string {
  return r.lifecycle.notReachedEnd > 0 ? "≥ " : "";
}

/** A per-order breakdown, "112.3 (fulfillment 30.1, warehouse 25.2, …)", biggest first. */
function perOrderLine(perOrder: Record<string, number> | null): string {
  if (!perOrder) return "–";
  const { total, ...byService } = perOrder;
  return `${total ?? "–"} (${Object.entries(byService).map(([k, v]) => `${k} ${v}`).join(", ")})`;
}

/** Whether the server started a checkpoint while the run measured: the full-page images after one slow every commit for a while. */
function checkpointLine(started: BenchResults["postgresActivity"]["checkpointsInWindow"]): string {
  const total = started.timed + started.requested;
  if (total === 0) return "The server started no checkpoint in the measured window.";
  return `The server started ${total} checkpoint${total === 1 ? "" : "s"} in the measured window (${started.timed} by time, ${started.requested} requested: WAL filled or asked for).`;
}

/** The system's CPU per order beside what the lifecycle target leaves for it on this machine. */
function cpuPerOrderLine(r: BenchResults): string {
  const perOrder = r.processes.cpuMsPerOrder ?? {};
  const servers = ["postgres", "kafka", "redis"];
  const services = Object.entries(perOrder).filter(([name]) => name !== "bench" && !servers.includes(name));
  const sum = (entries: [string, number][]) => Math.round(entries.reduce((total, [, ms]) => total + ms, 0) * 10) / 10;
  const system = sum(Object.entries(perOrder).filter(([name]) => name !== "bench"));
  if (system === 0) return "CPU per order: –.";
  const budget = Math.round(((r.machine.cpus * 1000) / 500) * 10) / 10;
  return (
    `CPU per accepted order: the system ${system} ms (the services ${sum(services)} ms, ` +
    `${servers.map((name) => `${name} ${perOrder[name] ?? "–"} ms`).join(", ")}), the bench ${perOrder.bench ?? "–"} ms. ` +
    `Lifecycle at 500 orders/s on ${r.machine.cpus} cores leaves ${budget} ms per order for everything.`
  );
}
