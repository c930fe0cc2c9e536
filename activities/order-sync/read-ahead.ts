/** How long a page read ahead waits to be taken: longer, and what it read is too old to be worth keeping. */
const FRESH_MS = 30_000;
/** Pages kept at most (one per integration between two of its pages): a bound, not a cache. */
const MAX_PAGES = 200;

/**
 * Pages read while the page before them is being written. The next page's read needs only the
 * cursor the current read returned, so it can go out while MiniCRM takes the current upload; the
 * cursor the workflow commits still moves only after a page is written, so a crash, a retry or
 * another worker taking the next page simply reads it again (the read has no effect at the
 * provider). A page not taken within FRESH_MS is dropped.
 */
export class ReadAhead<T> {
  private readonly pages = new Map<string, { at: number; page: Promise<T> }>();

  start(key: string, read: () => Promise<T>): void {
    const now = Date.now();
    for (const [k, p] of this.pages) if (now - p.at > FRESH_MS || this.pages.size >= MAX_PAGES) this.pages.delete(k);
    const page = read();
    page.catch(() => undefined); // taken or not, a failed read-ahead is never an unhandled rejection
    this.pages.set(key, { at: now, page });
  }

  /** The page read ahead for `key`, or a fresh read when there is none or it failed. */
  async take(key: string, read: () => Promise<T>): Promise<T> {
    const ahead = this.pages.get(key);
    this.pages.delete(key);
    if (!ahead || Date.now() - ahead.at > FRESH_MS) return read();
    // A read that failed ahead of time is tried again now, as if it had not been made: its error belongs to this page's attempt.
    return ahead.page.catch(() => read());
  }
}
