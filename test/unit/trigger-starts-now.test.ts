import { connectors } from '../../connectors/registry';

/**
 * Which triggers' first poll only fixes where "new" starts: a scenario stores that first poll's
 * cursor when the user saves. A trigger that reads from a point its input names must say no, or
 * the boundary would skip what its first poll should report.
 */
describe('triggers that start from now', () => {
  const startsNow = (system: keyof typeof connectors, trigger: string, input: Record<string, unknown>) => connectors[system].triggers[trigger]!.startsNow?.(input) ?? false;

  it.each([
    ['nethunt', 'new-records', { folderId: 'f1' }],
    ['nethunt', 'updated-records', { folderId: 'f1', fieldNames: ['Stage'] }],
    ['nethunt', 'record-changes', { folderId: 'f1' }],
    ['sumit', 'entity-created', { folder: 'Leads' }],
    ['sumit', 'entity-updated', { folder: 'Leads' }],
    ['sumit', 'entity-removed', { folder: 'Leads' }],
    ['worksection', 'task-events', {}],
    ['worksection', 'closed-tasks', { projectId: '26' }],
  ] as const)('%s %s without a start: yes', (system, trigger, input) => {
    expect(startsNow(system, trigger, input)).toBe(true);
  });

  it.each([
    ['nethunt', 'new-records', { folderId: 'f1', startAt: '2026-01-01T00:00:00Z' }],
    ['sumit', 'entity-created', { folder: 'Leads', startFrom: '2026-01-01T00:00:00Z' }],
    ['worksection', 'task-events', { startAt: '2026-01-01 00:00' }],
    ['google-sheets', 'new-rows', { spreadsheetId: 'abc', sheet: 'Orders' }],
    ['unas', 'changed-orders', { syncFrom: '2026-01-01' }],
    // An input its schema refuses: the poll itself says what is wrong, no boundary is taken.
    ['nethunt', 'new-records', { folderId: '' }],
  ] as const)('%s %s reading from a named point (or a bad input): no', (system, trigger, input) => {
    expect(startsNow(system, trigger, input)).toBe(false);
  });

  it("NetHunt's and SUMIT's first poll without a start reports nothing and asks nothing (the base URL leads nowhere)", async () => {
    const ctx = { credentials: {}, baseUrl: 'http://127.0.0.1:9', heartbeat: () => undefined } as never;
    for (const [system, trigger, input] of [
      ['nethunt', 'new-records', { folderId: 'f1' }],
      ['sumit', 'entity-created', { folder: 'Leads' }],
    ] as const) {
      const first = await connectors[system].triggers[trigger]!.poll(ctx, input, undefined);
      expect(first.records).toEqual([]);
      expect(first.hasMore).toBe(false);
      expect(first.nextCursor).toBeDefined();
    }
  });
});
