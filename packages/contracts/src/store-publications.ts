/**
 * The rule every keeper of a store's published profile follows (ADR 028): a publication
 * replaces what is held only when its version is newer, so a re-delivery or a replay of the
 * catalogue topic changes nothing. Part of the contract, beside the StorePublished it reads.
 */
export function isNewerPublication(heldVersion: number, publishedVersion: number): boolean {
  return publishedVersion > heldVersion;
}

/**
 * The newest publication of each store among those heard together, in the order the stores
 * first appear (a batch may carry a store's profile twice, or out of order after a replay).
 */
export function newestPerStore<T extends { storeId: string; version: number }>(publications: readonly T[]): T[] {
  const newest = new Map<string, T>();
  for (const publication of publications) {
    const held = newest.get(publication.storeId);
    if (!held || isNewerPublication(held.version, publication.version)) newest.set(publication.storeId, publication);
  }
  return [...newest.values()];
}
