// Loaded into every service by `npm run profile:intake-alloc` (NODE_OPTIONS=--import), active in
// intake only: counts the orders it accepts (POST /v1/orders answered 201), lets the first
// OMS_ALLOC_SKIP go by (the JIT, the pools), samples V8's allocation over the next
// OMS_ALLOC_ACCEPTANCES with the objects both collectors took kept, then writes the profile
// and its summary per acceptance to OMS_ALLOC_OUT. Everything intake does meanwhile (the
// outbox relay included) is charged to the acceptances: that is what its collector pays for.
import { subscribe } from "node:diagnostics_channel";
import { writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Session } from "node:inspector/promises";
import path from "node:path";
import { renderAllocationSummary, summarizeAllocation, type SamplingHeapProfileNode } from "./allocation-profile.ts";

const isIntake = /services[/\\]intake[/\\]src[/\\]main\.ts$/.test(process.argv[1] ?? "");
const outDir = process.env.OMS_ALLOC_OUT;

if (isIntake && outDir) {
  const skip = Number(process.env.OMS_ALLOC_SKIP ?? 2_000);
  const measured = Number(process.env.OMS_ALLOC_ACCEPTANCES ?? 5_000);
  const session = new Session();
  session.connect();
  let accepted = 0;
  let startedAt = 0;
  let sampling: "before" | "on" | "done" = "before";

  const start = async () => {
    sampling = "on";
    // 4 KB between samples: some 20 samples an acceptance, without slowing intake measurably.
    await session.post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    startedAt = accepted;
  };
  const stop = async () => {
    sampling = "done";
    const units = accepted - startedAt;
    const { profile } = (await session.post("HeapProfiler.stopSampling")) as unknown as { profile: { head: SamplingHeapProfileNode } };
    const summary = summarizeAllocation(profile.head, units);
    writeFileSync(path.join(outDir, "intake.heapprofile"), JSON.stringify(profile));
    writeFileSync(path.join(outDir, "intake-allocation.json"), JSON.stringify(summary, null, 2));
    writeFileSync(path.join(outDir, "intake-allocation.md"), renderAllocationSummary(summary));
    process.stderr.write(`[alloc] ${units} acceptances sampled, ${summary.bytesPerUnit} bytes each; written to ${outDir}\n`);
  };

  subscribe("http.server.response.finish", (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (response.statusCode !== 201 || request.method !== "POST" || request.url !== "/v1/orders") return;
    accepted++;
    if (sampling === "before" && accepted >= skip) void start();
    else if (sampling === "on" && accepted - startedAt >= measured) void stop();
  });
}
