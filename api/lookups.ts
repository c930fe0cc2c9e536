import type { LookupItem } from '../connectors/kit/types';

/** Long enough for a form that asks for the same list a few times while it is filled in. */
export const LOOKUP_TTL_MS = 30_000;
const MAX_ENTRIES = 1_000;

/**
 * The answers of lookups, for a short while, in this API process: a form's lists don't spend the
 * account's rate limit on every keystroke. Keyed by account (and its last change, so new
 * credentials are asked at once), lookup and parameters.
 */
export class LookupCache {
  private readonly entries = new Map<string, { at: number; items: LookupItem[] }>();

  constructor(private readonly now: () => number = Date.now) {}

  static key(account: { id: string; updatedAt: Date }, name: string, params: Record<string, unknown>): string {
    const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
    return JSON.stringify([account.id, account.updatedAt.getTime(), name, sorted]);
  }

  get(key: string): { items: LookupItem[]; ageMs: number } | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    const ageMs = this.now() - hit.at;
    if (ageMs >= LOOKUP_TTL_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return { items: hit.items, ageMs };
  }

  set(key: string, items: LookupItem[]): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const cutoff = this.now() - LOOKUP_TTL_MS;
      for (const [k, v] of this.entries) if (v.at <= cutoff) this.entries.delete(k);
      // Still full of fresh answers: the oldest goes (a Map keeps insertion order).
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, { at: this.now(), items });
  }
}
