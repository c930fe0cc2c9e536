import { LOOKUP_TTL_MS, LookupCache } from '../../api/lookups';

describe('the lookup cache (api/lookups.ts)', () => {
  const account = { id: 'a1', updatedAt: new Date('2026-01-01T00:00:00Z') };
  const items = [{ value: '101', label: 'Kovács Anna' }];

  it('answers the same account, lookup and parameters until the TTL is over, whatever the order of the parameters', () => {
    let now = 0;
    const cache = new LookupCache(() => now);
    cache.set(LookupCache.key(account, 'statuses', { categoryId: 17, x: 1 }), items);
    now = LOOKUP_TTL_MS - 1;
    expect(cache.get(LookupCache.key(account, 'statuses', { x: 1, categoryId: 17 }))?.items).toEqual(items);
    now = LOOKUP_TTL_MS;
    expect(cache.get(LookupCache.key(account, 'statuses', { categoryId: 17, x: 1 }))).toBeUndefined();
  });

  it('does not answer other parameters, another lookup, or the account after it changed (new credentials)', () => {
    const cache = new LookupCache(() => 0);
    cache.set(LookupCache.key(account, 'statuses', { categoryId: 17 }), items);
    expect(cache.get(LookupCache.key(account, 'statuses', { categoryId: 18 }))).toBeUndefined();
    expect(cache.get(LookupCache.key(account, 'fields', { categoryId: 17 }))).toBeUndefined();
    expect(cache.get(LookupCache.key({ ...account, updatedAt: new Date('2026-01-02T00:00:00Z') }, 'statuses', { categoryId: 17 }))).toBeUndefined();
  });
});
