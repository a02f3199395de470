// docs/events.md, generated from the proto files with buf's image of them (comments kept),
// so the page analytics reads can never say other than the contract: `npm run proto:generate`
// writes it beside the TypeScript contracts and the build check fails when it is stale.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { allTopics, deadLetterRetentionMs, eventCodecs, eventRetentionMs, storeLevelEventTypes, topicSpecs } from "@oms/contracts";
import { bufBinary, protoDir } from "../proto.ts";
import { repositoryRoot } from "../stack.ts";
import { renderEventCatalogue, type ImageFile } from "./render.ts";

export const eventCatalogueFile = path.join(repositoryRoot, "docs/events.md");

const DAY_MS = 24 * 60 * 60 * 1000;

/** The catalogue as the proto files say it today. */
export function currentEventCatalogue(): string {
  const compacted = new Set(topicSpecs().filter((spec) => spec.compacted).map((spec) => spec.name));
  return renderEventCatalogue(protoImage(), {
    eventTypes: new Set(Object.keys(eventCodecs)),
    storeLevelEventTypes,
    topics: allTopics,
    retentionDays: eventRetentionMs / DAY_MS,
    deadLetterRetentionDays: deadLetterRetentionMs / DAY_MS,
    compactedTopics: compacted,
  });
}

export function writeEventCatalogue(): void {
  writeFileSync(eventCatalogueFile, currentEventCatalogue());
}

/** True when docs/events.md is not what the proto files generate now. */
export function staleEventCatalogue(): boolean {
  let committed: string;
  try {
    committed = readFileSync(eventCatalogueFile, "utf8");
  } catch {
    return true;
  }
  return committed !== currentEventCatalogue();
}

/** buf's JSON image of proto/, source comments included (offline: buf builds from the files). */
function protoImage(): ImageFile[] {
  const work = mkdtempSync(path.join(tmpdir(), "oms-buf-image-"));
  try {
    const imageFile = path.join(work, "image.json");
    const result = spawnSync(bufBinary, ["build", "-o", imageFile], { cwd: protoDir, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`buf build failed: ${result.stderr || result.error?.message}`);
    return (JSON.parse(readFileSync(imageFile, "utf8")) as { file: ImageFile[] }).file;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
