/** One page of a list, as the API answers it: `nextCursor` is null on the last page. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Fetches the page at `cursor`; `undefined` means the first page the caller asked for. */
export type PageFetcher<T> = (cursor: string | undefined) => Promise<Page<T>>;

/**
 * A list that pages on its own. Nothing is sent until you use it:
 *
 * ```ts
 * for await (const customer of cdp.customers.list({ q: "smith" })) { … } // every item, page after page
 * const { data, nextCursor } = await cdp.customers.list({ limit: 10 }).page(); // one page
 * const first100 = await cdp.customers.list().toArray({ max: 100 });
 * ```
 *
 * `limit` sets the page size, not the total; stop early with `break` or `toArray({ max })`.
 * Each use starts again from the first page.
 */
export class PagedList<T> implements AsyncIterable<T> {
  readonly #fetchPage: PageFetcher<T>;

  /** @param fetchPage - Fetches one page; the SDK's list methods supply it. */
  constructor(fetchPage: PageFetcher<T>) {
    this.#fetchPage = fetchPage;
  }

  /** Fetches the first page only (from the `cursor` you passed, if any). */
  page(): Promise<Page<T>> {
    return this.#fetchPage(undefined);
  }

  /** Every page in turn, following `nextCursor` until the last. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.#fetchPage(cursor);
      yield page;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  /** Every item of every page, fetching the next page when the current one is used up. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /**
   * Collects the items into an array, fetching pages until the list ends or `max` items are in hand.
   * @param options - `max`: stop after this many items (default: no limit).
   */
  async toArray(options: { max?: number } = {}): Promise<T[]> {
    const max = options.max ?? Number.POSITIVE_INFINITY;
    const items: T[] = [];
    if (max <= 0) return items;
    for await (const page of this.pages()) {
      items.push(...page.data);
      if (items.length >= max) return items.slice(0, max);
    }
    return items;
  }
}
