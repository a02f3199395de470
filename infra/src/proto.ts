import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { repositoryRoot } from "./stack.ts";

export const protoDir = path.join(repositoryRoot, "proto");
const generatedDir = path.join(repositoryRoot, "packages/contracts/src/gen");
export const bufBinary = path.join(repositoryRoot, "packages/contracts/node_modules/.bin/buf");

/**
 * Generates the TypeScript contracts from proto/ with buf and the local ts-proto plugin
 * (offline; buf.gen.yaml holds the options) into `outDir`.
 */
export function generateContracts(outDir = generatedDir): void {
  const template = readFileSync(path.join(protoDir, "buf.gen.yaml"), "utf8").replace("out: ../packages/contracts/src/gen", `out: ${outDir}`);
  const work = mkdtempSync(path.join(tmpdir(), "oms-buf-"));
  try {
    const templateFile = path.join(work, "buf.gen.yaml");
    writeFileSync(templateFile, template.replace("local: ../packages", `local: ${path.join(repositoryRoot, "packages")}`));
    rmSync(outDir, { recursive: true, force: true });
    const result = spawnSync(bufBinary, ["generate", "--template", templateFile], { cwd: protoDir, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`buf generate failed: ${result.stderr || result.error?.message}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The files whose generated code differs from what proto/ generates now (empty: up to date). */
export function staleContracts(): string[] {
  const fresh = mkdtempSync(path.join(tmpdir(), "oms-contracts-"));
  try {
    generateContracts(fresh);
    const expected = listFiles(fresh);
    const actual = listFiles(generatedDir);
    const names = new Set([...expected, ...actual]);
    return [...names].filter((name) => {
      const a = path.join(fresh, name);
      const b = path.join(generatedDir, name);
      try {
        return readFileSync(a, "utf8") !== readFileSync(b, "utf8");
      } catch {
        return true;
      }
    });
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

function listFiles(root: string, prefix = ""): string[] {
  let entries: string[];
  try {
    entries = readdirSync(path.join(root, prefix));
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const relative = path.join(prefix, entry);
    return statSync(path.join(root, relative)).isDirectory() ? listFiles(root, relative) : [relative];
  });
}

