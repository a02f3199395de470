#!/usr/bin/env node
// The first thing `npm start`, `npm test`, `npm run bench` and `npm run chaos` run.
//
// It must work on the machine's own Node (20, end of life), so it is plain CommonJS
// with no dependencies. It makes sure the project's toolchain is present — Node 24 and
// pinned pnpm, both from the npm registry into ./.tools (corepack's download fails on
// this machine kind, see docs/adr/001) — installs the workspace when needed, and then
// hands over to a TypeScript entry point running on Node 24 (which strips types itself).
"use strict";

const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const NODE_VERSION = "24.21.0";
const PNPM_VERSION = "10.34.9";

const root = path.resolve(__dirname, "..");
const toolsDir = path.join(root, ".tools");
const nodeHome = path.join(toolsDir, `node-${NODE_VERSION}`);
const pnpmHome = path.join(toolsDir, `pnpm-${PNPM_VERSION}`);

const entryPoints = {
  start: "infra/src/commands/start.ts",
  test: "infra/src/commands/test.ts",
  bench: "test/bench/src/main.ts",
  chaos: "test/chaos/src/main.ts",
  infra: "infra/src/commands/infra.ts",
};

function log(message) {
  process.stderr.write(`[bootstrap] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
  }
}

function npmInstallGlobal(prefix, spec) {
  log(`installing ${spec} into ${path.relative(root, prefix)}`);
  // `nodedir=` undoes a machine-wide ~/.npmrc that points native builds at Node 20's headers.
  run("npm", ["install", "--global", "--prefix", prefix, "--no-fund", "--no-audit", spec], {
    env: { ...process.env, npm_config_nodedir: "" },
  });
}

function ensureNode() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major >= 22 && !process.env.OMS_FORCE_BUNDLED_NODE) return process.execPath;
  const nodeBin = path.join(nodeHome, "bin", "node");
  if (!fs.existsSync(nodeBin)) npmInstallGlobal(nodeHome, `node@${NODE_VERSION}`);
  return nodeBin;
}

function ensurePnpm() {
  const pnpmBin = path.join(pnpmHome, "bin", "pnpm");
  if (!fs.existsSync(pnpmBin)) npmInstallGlobal(pnpmHome, `pnpm@${PNPM_VERSION}`);
  return pnpmBin;
}

function workspaceIsInstalled() {
  const marker = path.join(root, "node_modules", ".modules.yaml");
  const lockfile = path.join(root, "pnpm-lock.yaml");
  if (!fs.existsSync(marker)) return false;
  if (!fs.existsSync(lockfile)) return true;
  return fs.statSync(marker).mtimeMs >= fs.statSync(lockfile).mtimeMs;
}

function main() {
  const [command, ...rest] = process.argv.slice(2);
  const entry = entryPoints[command] ?? command;
  if (!entry) {
    log(`usage: node infra/bootstrap.cjs <${Object.keys(entryPoints).join("|")}|path/to/script.ts> [args]`);
    process.exit(2);
  }

  const nodeBin = ensureNode();
  const pnpmBin = ensurePnpm();
  const env = {
    ...process.env,
    PATH: [path.dirname(nodeBin), path.dirname(pnpmBin), process.env.PATH].join(path.delimiter),
    npm_config_nodedir: "",
  };

  if (!workspaceIsInstalled() || process.env.OMS_FORCE_INSTALL) {
    log("installing the workspace with pnpm");
    const frozen = fs.existsSync(path.join(root, "pnpm-lock.yaml")) ? ["--frozen-lockfile"] : [];
    // CI=true keeps pnpm from asking a question without a TTY (ERR_PNPM_ABORTED_REMOVE_MODULES_DIR_NO_TTY).
    run(pnpmBin, ["install", ...frozen], { env: { ...env, CI: "true" } });
  }

  const child = spawn(nodeBin, [path.join(root, entry), ...rest], { stdio: "inherit", cwd: root, env });
  // The child owns shutdown (it stops what it started); we only pass the signal on once.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => child.kill(signal));
  }
  child.on("exit", (code, signal) => {
    const signalNumbers = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };
    process.exit(signal ? 128 + (signalNumbers[signal] ?? 1) : (code ?? 1));
  });
}

try {
  main();
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
