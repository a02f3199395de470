import { describe, expect, it } from "vitest";
import { packageOf, summarizeAllocation, type SamplingHeapProfileNode } from "./allocation-profile.ts";

const node = (functionName: string, url: string, lineNumber: number, selfSize: number, children: SamplingHeapProfileNode[] = []): SamplingHeapProfileNode => ({
  callFrame: { functionName, url, lineNumber },
  selfSize,
  children,
});

describe("allocation profile summary", () => {
  it("adds up each site's bytes wherever it was called from, per unit of work, largest first", () => {
    const pgWrite = "file:///repo/node_modules/.pnpm/pg@8.23.1/node_modules/pg/lib/utils.js";
    const ours = "file:///repo/services/intake/src/app/request-fingerprint.ts";
    const head = node("(root)", "", 0, 0, [
      node("handle", ours, 9, 1_000, [node("prepareValue", pgWrite, 40, 3_000), node("sort", "", 0, 500)]),
      node("other", ours, 30, 0, [node("prepareValue", pgWrite, 40, 1_000), node("stringify", "node:internal/util", 3, 500)]),
    ]);
    const summary = summarizeAllocation(head, 10);
    expect(summary.bytesPerUnit).toBe(600);
    expect(summary.sites[0]).toEqual({ site: "prepareValue pg/lib/utils.js:41", bytesPerUnit: 400, share: 4_000 / 6_000 });
    expect(summary.sites.map((s) => s.site)).toEqual(["prepareValue pg/lib/utils.js:41", "handle services/intake/src/app/request-fingerprint.ts:10", "sort (native) in handle services/intake/src/app/request-fingerprint.ts:10", "stringify node:internal/util:4"]);
    // A builtin's bytes are its caller's package's.
    expect(summary.packages.map((p) => [p.site, p.bytesPerUnit])).toEqual([["pg", 400], ["services/intake", 150], ["node", 50]]);
  });

  it("names the package that owns a frame", () => {
    expect(packageOf("file:///r/node_modules/.pnpm/@grpc+grpc-js@1/node_modules/@grpc/grpc-js/build/src/a.js")).toBe("@grpc/grpc-js");
    expect(packageOf("file:///r/packages/postgres/src/pack.ts")).toBe("packages/postgres");
    expect(packageOf("node:internal/streams/readable")).toBe("node");
    expect(packageOf("")).toBe("(native)");
  });
});
