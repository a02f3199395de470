// `npm test`: typecheck, contracts check, unit, integration and end-to-end tests on the
// real servers, then one plain line of counts for CI. Starts Kafka if nothing listens and
// stops it afterwards, so the run leaves no process behind.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureKafka, type KafkaServer } from "../kafka.ts";
import { repositoryRoot } from "../stack.ts";

const say = (message: string) => process.stderr.write(`[test] ${message}\n`);
const resultsDir = path.join(repositoryRoot, "test-results");
const jsonReport = path.join(resultsDir, "vitest.json");

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTests: number;
  success: boolean;
}

function runVitest(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repositoryRoot, "node_modules/vitest/vitest.mjs"), "run", ...args], {
      cwd: repositoryRoot,
      env,
      stdio: "inherit",
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

let kafka: KafkaServer | undefined;
let exitCode = 1;
try {
  mkdirSync(resultsDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: "json" };
  if (!env.KAFKA_BROKERS) {
    kafka = await ensureKafka({}, say);
    env.KAFKA_BROKERS = kafka.brokers.join(",");
  }
  const vitestCode = await runVitest(
    ["--reporter=default", "--reporter=json", `--outputFile.json=${jsonReport}`, ...process.argv.slice(2)],
    env,
  );
  const report = JSON.parse(readFileSync(jsonReport, "utf8")) as VitestJsonReport;
  const skipped = report.numPendingTests + report.numTodoTests;
  const line = `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`;
  writeFileSync(path.join(resultsDir, "summary.txt"), `${line}\n`);
  process.stdout.write(`${line}\n`);
  exitCode = vitestCode !== 0 || report.numFailedTests > 0 || report.numPassedTests === 0 ? 1 : 0;
} catch (error) {
  say(`test run failed: ${(error as Error).message}`);
  writeFileSync(path.join(resultsDir, "summary.txt"), "tests: 0 passed, 1 failed, 0 skipped\n");
} finally {
  await kafka?.stop();
}
process.exit(exitCode);
