/** One page of a list as a spec reads it: its items, and the token for the next page ("" or absent after the last). */
export interface PageRead<T> {
  items: readonly T[];
  nextPageToken?: string | undefined;
}

/**
 * Every page of a list read in turn, following `nextPageToken` (`?pageSize=&pageToken=` over
 * HTTP, `pageSize`/`pageToken` over gRPC: `readPage` asks for one, given the token, "" for the
 * first), until a page gives no token; the items in the order given and how many pages it took.
 * A list still giving tokens after `maxPages` (default 100) fails the spec rather than looping on.
 */
export async function readEveryPage<T>(readPage: (pageToken: string) => Promise<PageRead<T>>, options: { maxPages?: number } = {}): Promise<{ items: T[]; pages: number }> {
  const maxPages = options.maxPages ?? 100;
  const items: T[] = [];
  let pageToken = "";
  for (let pages = 1; ; pages++) {
    const page = await readPage(pageToken);
    items.push(...page.items);
    if (page.nextPageToken === undefined || page.nextPageToken === "") return { items, pages };
    if (pages >= maxPages) throw new Error(`the list still gave a next page after ${maxPages} pages`);
    pageToken = page.nextPageToken;
  }
}
