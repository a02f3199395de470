import { renameSync, rmSync } from "node:fs";

/** What rename(2) says when the target directory is already there (and not empty). */
const targetTaken = new Set(["ENOTEMPTY", "EEXIST"]);

/**
 * Moves a freshly filled `staging` directory to `target` in one rename, so readers see
 * either nothing or all of it. When another process got there first (the target exists),
 * its copy stands and ours is dropped; any other failure (no space, no permission, a
 * missing parent) is thrown, with our copy dropped too, rather than taken for that race.
 */
export function moveIntoPlaceUnlessThere(staging: string, target: string): void {
  try {
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!targetTaken.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
  }
}
