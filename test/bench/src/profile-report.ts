import { mkdirSync, readdirSync, renameSync } from "node:fs";
import path from "node:path";
import { renderFlameGraph, summarizeProfile, type ProfileSummary } from "./profiles.ts";

/**
 * Names each raw profile after its service (Node names them CPU.<date>.<time>.<pid>…),
 * summarises it and writes its flame graph to `<out>/<service>.html`.
 */
export function summarizeProfiles(rawDir: string, serviceOfPid: Record<string, string>, out: string): ProfileSummary[] {
  mkdirSync(out, { recursive: true });
  const summaries: ProfileSummary[] = [];
  for (const file of readdirSync(rawDir).filter((f) => f.startsWith("CPU.") && f.endsWith(".cpuprofile"))) {
    const pid = file.split(".")[3] ?? "";
    const service = serviceOfPid[pid];
    if (!service) continue;
    const named = path.join(rawDir, `${service}.cpuprofile`);
    renameSync(path.join(rawDir, file), named);
    summaries.push(summarizeProfile(service, named));
    renderFlameGraph(service, named, path.join(out, `${service}.html`));
  }
  return summaries.sort((a, b) => a.service.localeCompare(b.service));
}
