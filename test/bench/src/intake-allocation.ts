// `npm run profile:intake-alloc [-- bench options]`: the bytes intake allocates per accepted
// order, and where (docs/performance.md, "Measuring allocation"). Runs the bench on intake
// alone (the services behind it frozen) with intake-allocation-sampler.ts preloaded into the
// services, and prints its summary. Bytes per acceptance do not depend on the machine's load
// as latency does, so a short run at a moderate rate is enough.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.env.OMS_ALLOC_OUT ?? path.join(tmpdir(), `intake-alloc-${new Date().toISOString().replace(/[:.]/g, "-")}`);
mkdirSync(out, { recursive: true });

const benchArgs = ["--intake-only", "--rate", "500", "--warmup", "5", "--duration", "20", "--drain", "5", "--sockets", "256", "--no-floor", "--out", out, ...process.argv.slice(2)];
const child = spawn(process.execPath, [path.join(here, "main.ts"), ...benchArgs], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${path.join(here, "intake-allocation-sampler.ts")}`].filter(Boolean).join(" "),
    OMS_ALLOC_OUT: out,
  },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => {
  const summary = path.join(out, "intake-allocation.md");
  if (!existsSync(summary)) {
    process.stderr.write(`no allocation summary in ${out}: intake accepted fewer than OMS_ALLOC_SKIP + OMS_ALLOC_ACCEPTANCES orders (2,000 + 5,000 by default)\n`);
    process.exit(code || 1);
  }
  process.stdout.write(`\n${readFileSync(summary, "utf8")}\nprofile and summary in ${out} (open intake.heapprofile in Chrome's DevTools, Memory tab)\n`);
  process.exit(code ?? 0);
});
