import { renderPage, type Panel } from "../../support/svg-chart.ts";
import type { BenchResults } from "./results.ts";

/** Throughput, latency, consumer lag and processes over the run, as one self-contained page. */
export function renderBenchChart(r: BenchResults): string {
  const names = (records: Record<string, number>[]) => [...new Set(records.flatMap((x) => Object.keys(x)))];
  const lagNames = names(r.consumerLag.series.map((s) => s.lag));
  const processNames = names(r.processes.series.map((s) => s.rssMb));
  const panels: Panel[] = [
    {
      title: "Throughput",
      unit: "/s",
      series: [
        { name: "intake accepted", points: r.intake.perSecond.map((s) => [s.second, s.count]) },
        { name: "reached the end", points: r.lifecycle.perSecond.map((s) => [s.second, s.count]) },
        { name: "assignment decisions", points: r.assignment.perSecond.map((s) => [s.second, s.count]) },
      ],
    },
    {
      title: "Intake acceptance latency (from due time)",
      unit: "ms",
      series: [
        { name: "p50", points: r.intake.perSecond.map((s) => [s.second, s.p50]) },
        { name: "p99", points: r.intake.perSecond.map((s) => [s.second, s.p99]) },
      ],
    },
    {
      title: "Pipeline time of orders reaching the end (by the second they got there)",
      unit: "ms",
      series: [
        { name: "p50", points: r.lifecycle.perSecond.map((s) => [s.second, s.p50]) },
        { name: "p99", points: r.lifecycle.perSecond.map((s) => [s.second, s.p99]) },
      ],
    },
    {
      title: "Consumer lag per service",
      unit: "msgs",
      series: lagNames.map((name) => ({ name, points: r.consumerLag.series.map((s): [number, number] => [s.second, s.lag[name] ?? 0]) })),
    },
    {
      title: "RSS per process",
      unit: "MB",
      series: processNames.map((name) => ({ name, points: r.processes.series.filter((s) => s.rssMb[name] !== undefined).map((s): [number, number] => [s.second, s.rssMb[name]!]) })),
    },
    {
      title: "CPU per process (100 % = one core)",
      unit: "%",
      series: processNames.map((name) => ({
        name,
        points: r.processes.series.filter((s) => s.cpuPercent[name] !== undefined).map((s): [number, number] => [s.second, s.cpuPercent[name]!]),
      })),
    },
  ];
  return renderPage(
    `OMS benchmark — ${r.run.rate} orders/s for ${r.run.durationS} s`,
    `${r.machine.date} · ${r.machine.cpus} CPUs (${r.machine.cpuModel}) · ${r.machine.memoryGb} GB · Node ${r.machine.node} · Postgres ${r.machine.postgres} · Kafka ${r.machine.kafka}. Second 0 is the start of the measured window.`,
    panels,
  );
}
