/**
 * Where a process's allocation went, from V8's sampling heap profile (the shape
 * `HeapProfiler.stopSampling` returns), per unit of work: each node's self size is V8's
 * estimate of the bytes allocated there while sampling, collected or not when the sampler
 * was started with the objects collected by both collectors kept.
 */
export interface SamplingHeapProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingHeapProfileNode[];
}

export interface AllocationSite {
  /** `function file:line`, or a package's name for the by-package view. */
  site: string;
  bytesPerUnit: number;
  share: number;
}

export interface AllocationSummary {
  units: number;
  bytesPerUnit: number;
  /** Allocation sites by the bytes they allocated per unit, largest first. */
  sites: AllocationSite[];
  /** The same, summed by package (`pg`, `zod`, `pino`, `node`, or ours as `services/intake`, `packages/postgres`). */
  packages: AllocationSite[];
}

export function summarizeAllocation(head: SamplingHeapProfileNode, units: number, top = 25): AllocationSummary {
  const bySite = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  // A builtin (sort, Object.keys, a constructor) has no file: it is charged to the function that called it.
  const visit = (node: SamplingHeapProfileNode, caller: { site: string; owner: string } | undefined) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || "(anonymous)";
    const here = url ? { site: `${name} ${shortLocation(url)}:${lineNumber + 1}`, owner: packageOf(url) } : undefined;
    if (node.selfSize > 0) {
      total += node.selfSize;
      const site = here?.site ?? (caller ? `${name} (native) in ${caller.site}` : `${name} (native)`);
      const owner = here?.owner ?? caller?.owner ?? "(native)";
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      byPackage.set(owner, (byPackage.get(owner) ?? 0) + node.selfSize);
    }
    for (const child of node.children) visit(child, here ?? caller);
  };
  visit(head, undefined);
  const perUnit = units > 0 ? units : 1;
  const ranked = (sizes: Map<string, number>) =>
    [...sizes]
      .sort(([, a], [, b]) => b - a)
      .slice(0, top)
      .map(([site, bytes]) => ({ site, bytesPerUnit: Math.round(bytes / perUnit), share: total > 0 ? bytes / total : 0 }));
  return { units, bytesPerUnit: Math.round(total / perUnit), sites: ranked(bySite), packages: ranked(byPackage) };
}

/** The file a frame ran in, from its package's folder or the repository's (pnpm's store path left out). */
export function shortLocation(url: string): string {
  if (!url) return "(native)";
  const path = url.replace(/^file:\/\//, "");
  const inPackage = path.lastIndexOf("/node_modules/");
  if (inPackage >= 0) return path.slice(inPackage + "/node_modules/".length);
  const ours = path.search(/\/(services|packages|test|infra)\//);
  return ours >= 0 ? path.slice(ours + 1) : path;
}

/** The package that owns a frame: a dependency's name, `node` for Node's own, or our workspace package's folder. */
export function packageOf(url: string): string {
  if (!url) return "(native)";
  if (url.startsWith("node:")) return "node";
  const path = url.replace(/^file:\/\//, "");
  const inPackage = path.lastIndexOf("/node_modules/");
  if (inPackage >= 0) {
    const [scopeOrName = "", name = ""] = path.slice(inPackage + "/node_modules/".length).split("/");
    return scopeOrName.startsWith("@") ? `${scopeOrName}/${name}` : scopeOrName;
  }
  const ours = /\/((?:services|packages|test|infra)\/[^/]+)\//.exec(path);
  return ours ? ours[1]! : "(other)";
}

export function renderAllocationSummary(summary: AllocationSummary): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const rows = (sites: AllocationSite[]) => sites.map((s) => `| ${s.site.replace(/\|/g, "\\|")} | ${kb(s.bytesPerUnit)} | ${(s.share * 100).toFixed(1)} % |`).join("\n");
  return [
    `${summary.units} acceptances sampled: **${kb(summary.bytesPerUnit)} allocated per acceptance**`,
    "",
    "| package | per acceptance | share |",
    "|---|---|---|",
    rows(summary.packages),
    "",
    "| site | per acceptance | share |",
    "|---|---|---|",
    rows(summary.sites),
    "",
  ].join("\n");
}
