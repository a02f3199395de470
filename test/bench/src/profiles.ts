import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * CPU profiles of the services (`node --cpu-prof`, written when a service exits) turned
 * into what a person reads: the functions and the libraries that took the time, and a
 * flame graph (icicle, root on top) per service as a self-contained SVG page.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface ProfileSummary {
  service: string;
  file: string;
  sampledMs: number;
  /** Share of samples in which the process was busy (not idle). */
  busyShare: number;
  topFunctions: { name: string; where: string; selfShare: number }[];
  byLibrary: { library: string; selfShare: number }[];
}

/** Where a frame's code lives: a package, Node's internals, the project's own code, or the engine. */
function libraryOf(url: string, functionName: string): string {
  if (functionName === "(idle)" || functionName === "(program)" || functionName === "(garbage collector)") return functionName;
  if (!url) return "(native)";
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url) ?? /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1]!;
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const project = /\/(packages|services)\/([^/]+)\//.exec(url);
  if (project) return `${project[1]}/${project[2]}`;
  return url.split("/").slice(-2).join("/");
}

export function summarizeProfile(service: string, file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const total = profile.samples.length || 1;
  const self = new Map<string, { name: string; where: string; hits: number }>();
  const libraries = new Map<string, number>();
  let idle = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") idle += hits;
    const where = url ? `${url.replace(/^file:\/\/.*?\/(node_modules\/\.pnpm\/[^/]+\/node_modules\/|packages\/|services\/)/, "$1")}:${lineNumber + 1}` : "";
    const key = `${functionName}|${where}`;
    const entry = self.get(key) ?? { name: functionName || "(anonymous)", where, hits: 0 };
    entry.hits += hits;
    self.set(key, entry);
    const library = libraryOf(url, functionName);
    libraries.set(library, (libraries.get(library) ?? 0) + hits);
  }
  const busy = total - idle;
  const share = (hits: number) => Math.round((hits / Math.max(1, busy)) * 1000) / 10;
  return {
    service,
    file: path.basename(file),
    sampledMs: Math.round((profile.endTime - profile.startTime) / 1000),
    busyShare: Math.round((busy / total) * 1000) / 10,
    topFunctions: [...self.values()]
      .filter((f) => f.name !== "(idle)")
      .sort((a, b) => b.hits - a.hits)
      .slice(0, 15)
      .map((f) => ({ name: f.name, where: f.where, selfShare: share(f.hits) })),
    byLibrary: [...libraries]
      .filter(([library]) => library !== "(idle)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([library, hits]) => ({ library, selfShare: share(hits) })),
  };
}

/** An icicle flame graph of one profile (idle left out), frames narrower than 0.2 % dropped. */
export function renderFlameGraph(service: string, file: string, out: string): void {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<number, number>();
  const totalOf = (id: number): number => {
    const cached = totals.get(id);
    if (cached !== undefined) return cached;
    const node = byId.get(id)!;
    const own = node.callFrame.functionName === "(idle)" ? 0 : (node.hitCount ?? 0);
    const sum = own + (node.children ?? []).reduce((acc, child) => acc + totalOf(child), 0);
    totals.set(id, sum);
    return sum;
  };
  const root = profile.nodes[0]!;
  const all = Math.max(1, totalOf(root.id));
  const width = 1400;
  const rowHeight = 16;
  const rects: string[] = [];
  let maxDepth = 0;
  const draw = (id: number, x: number, depth: number) => {
    const node = byId.get(id)!;
    const w = (totalOf(id) / all) * width;
    if (w < width * 0.002) return;
    maxDepth = Math.max(maxDepth, depth);
    const { functionName, url } = node.callFrame;
    const label = `${functionName || "(anonymous)"} ${libraryOf(url, functionName)}`;
    const hue = (libraryOf(url, functionName).split("").reduce((h, c) => h + c.charCodeAt(0), 0) * 37) % 360;
    const pct = ((totalOf(id) / all) * 100).toFixed(1);
    rects.push(
      `<g><title>${escape(label)} — ${pct} %</title><rect x="${x.toFixed(1)}" y="${depth * rowHeight}" width="${w.toFixed(1)}" height="${rowHeight - 1}" fill="hsl(${hue},60%,72%)"/>` +
        (w > 60 ? `<text x="${(x + 3).toFixed(1)}" y="${depth * rowHeight + 12}" font-size="10">${escape(label.slice(0, Math.floor(w / 6)))}</text>` : "") +
        "</g>",
    );
    let childX = x;
    for (const child of node.children ?? []) {
      draw(child, childX, depth + 1);
      childX += (totalOf(child) / all) * width;
    }
  };
  draw(root.id, 0, 0);
  const height = (maxDepth + 1) * rowHeight;
  writeFileSync(
    out,
    `<!doctype html><html><head><meta charset="utf-8"><title>${escape(service)} CPU flame graph</title></head><body style="font-family:system-ui,sans-serif">` +
      `<h1 style="font-size:18px">${escape(service)} — CPU while busy (hover a frame for its share)</h1>` +
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="monospace">${rects.join("")}</svg></body></html>\n`,
  );
}

/** The newest profile per service in `dir` (files are named `<service>-<pid>.cpuprofile` by the bench). */
export function profilesIn(dir: string): { service: string; file: string }[] {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  const byService = new Map<string, string>();
  for (const file of files.sort()) byService.set(file.split(".")[0]!, path.join(dir, file));
  return [...byService].map(([service, file]) => ({ service, file }));
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
