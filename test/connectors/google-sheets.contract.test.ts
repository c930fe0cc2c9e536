import { googleSheets } from '../../connectors/google-sheets';
import type { NewRowsCursor, NewRowsInput } from '../../connectors/google-sheets/new-rows';
import { pollNewRows } from '../../connectors/google-sheets/new-rows';
import { readRows } from '../../connectors/google-sheets/read-rows';
import { googleError, GoogleSheetsFake } from '../fakes/google-sheets-fake';
import { connectorFailure, connectorTestbed } from '../support/connector-context';

const TOKEN = 'ya29.fake-access-token';
const KEY = 'AIzaSyFakeKey0000000000000000000000000';
const SECRETS = [TOKEN, KEY, 'ya29.wrong-token-123', 'AIzaSyWrongKey00000000000000'];

const failure = (p: Promise<unknown>) => connectorFailure(p, SECRETS);

const SHEET = "Leads 'Q3' list";
const header = ['Name', 'Phone', '', 'Name'];
const person = (i: number) => [`Person ${i}`, `+3670${String(i).padStart(7, '0')}`, 'x', `alias ${i}`];

describe('Google Sheets connector against its fake', () => {
  let bed: Awaited<ReturnType<typeof connectorTestbed>>;
  let fake: GoogleSheetsFake;
  const oauth = () => bed.context(googleSheets, fake.url, { authType: 'oauth2', accessToken: TOKEN });

  beforeAll(async () => {
    bed = await connectorTestbed();
  });
  afterAll(() => bed.close());
  beforeEach(async () => {
    fake = new GoogleSheetsFake({ readsPerMinutePerUser: null, readsPerMinutePerProject: null });
    await fake.start();
  });
  afterEach(() => fake.close());

  async function pollAll(sheetId: string, input: Partial<NewRowsInput>, cursor?: NewRowsCursor) {
    const ctx = oauth();
    const seen: { id: string; dedupeKey: string; row: number }[] = [];
    let polls = 0;
    let next = cursor;
    for (;;) {
      const page = await pollNewRows(ctx, { spreadsheetId: sheetId, sheet: SHEET, ...input }, next);
      polls++;
      seen.push(...page.records.map((r) => ({ id: r.id, dedupeKey: r.dedupeKey, row: r.data.rowNumber })));
      next = page.nextCursor;
      if (!page.hasMore) break;
    }
    return { seen, cursor: next, polls };
  }

  describe('credentials', () => {
    it('accepts a good token or key and refuses bad ones at once with Google’s message', async () => {
      expect(await googleSheets.check(oauth())).toEqual({ details: { authType: 'oauth2' } });
      expect(await googleSheets.check(bed.context(googleSheets, fake.url, { authType: 'api-key', apiKey: KEY }))).toEqual({ details: { authType: 'api-key' } });

      const badToken = await failure(googleSheets.check(bed.context(googleSheets, fake.url, { authType: 'oauth2', accessToken: 'ya29.wrong-token-123' })));
      expect(badToken).toMatchObject({ kind: 'auth', retryable: false });
      expect(badToken.message).toMatch(/invalid authentication credentials/);

      // Google answers a bad API key with 400 INVALID_ARGUMENT: still a credentials failure.
      const badKey = await failure(googleSheets.check(bed.context(googleSheets, fake.url, { authType: 'api-key', apiKey: 'AIzaSyWrongKey00000000000000' })));
      expect(badKey).toMatchObject({ kind: 'auth', retryable: false });
      expect(badKey.message).toMatch(/API key not valid/);
      expect(fake.calls).toHaveLength(4);
      expect(fake.calls[1]!.headers['x-goog-api-key']).toBe(KEY);
      expect(fake.calls[1]!.query.key).toBeUndefined();
    });

    it('rejects credentials missing the field their auth type needs', () => {
      expect(googleSheets.auth.schema.safeParse({ authType: 'oauth2', apiKey: KEY }).success).toBe(false);
      expect(googleSheets.auth.schema.safeParse({ authType: 'api-key', apiKey: KEY }).success).toBe(true);
    });

    it('reads a link-shared sheet with an API key but not a private one', async () => {
      const shared = fake.addSpreadsheet({ sheets: { [SHEET]: [header, person(1)] }, linkShared: true });
      const priv = fake.addSpreadsheet({ sheets: { [SHEET]: [header, person(1)] } });
      const ctx = bed.context(googleSheets, fake.url, { authType: 'api-key', apiKey: KEY });
      expect((await readRows(ctx, { spreadsheetId: shared, sheet: SHEET })).rows).toHaveLength(1);
      const err = await failure(readRows(ctx, { spreadsheetId: priv, sheet: SHEET }));
      expect(err).toMatchObject({ kind: 'auth' });
      expect(err.message).toMatch(/does not have permission/);
    });
  });

  describe('read rows', () => {
    it('quotes a sheet name with spaces and quotes, and names columns from the header row', async () => {
      const id = fake.addSpreadsheet({ sheets: { Other: [['a']], [SHEET]: [header, person(1), [], person(3), ['Short']] } });
      const out = await googleSheets.actions['read-rows'].run(oauth(), { spreadsheetId: id, sheet: SHEET });
      expect(out).toEqual({
        range: "'Leads ''Q3'' list'!A1:Z1000",
        columns: ['Name', 'Phone', 'C', 'Name_2'],
        rows: [
          { rowNumber: 2, values: { Name: 'Person 1', Phone: '+36700000001', C: 'x', Name_2: 'alias 1' } },
          { rowNumber: 4, values: { Name: 'Person 3', Phone: '+36700000003', C: 'x', Name_2: 'alias 3' } },
          { rowNumber: 5, values: { Name: 'Short', Phone: '', C: '', Name_2: '' } },
        ],
      });
      expect(fake.calls[0]!.path).toContain("/values/'Leads%20''Q3''%20list'");
    });

    it('reads a sub-range whose first row is the header, with unformatted values', async () => {
      const id = fake.addSpreadsheet({ sheets: { [SHEET]: [['title'], ['', 'Qty', 'Paid'], ['', 3, true], ['', 5, false]] } });
      const out = await readRows(oauth(), { spreadsheetId: id, sheet: SHEET, cells: 'B2:C', valueRenderOption: 'UNFORMATTED_VALUE' });
      expect(out.columns).toEqual(['Qty', 'Paid']);
      expect(out.rows).toEqual([
        { rowNumber: 3, values: { Qty: 3, Paid: true } },
        { rowNumber: 4, values: { Qty: 5, Paid: false } },
      ]);
      const formatted = await readRows(oauth(), { spreadsheetId: id, sheet: SHEET, cells: 'B2:C' });
      expect(formatted.rows[0]!.values).toEqual({ Qty: '3', Paid: 'TRUE' });
    });

    it('maps an unknown sheet to a validation error and an unknown spreadsheet to not-found', async () => {
      const id = fake.addSpreadsheet({ sheets: { [SHEET]: [header] } });
      const badSheet = await failure(readRows(oauth(), { spreadsheetId: id, sheet: 'Nope' }));
      expect(badSheet).toMatchObject({ kind: 'validation', retryable: false });
      expect(badSheet.message).toMatch(/Unable to parse range/);
      expect(await failure(readRows(oauth(), { spreadsheetId: 'missing', sheet: SHEET }))).toMatchObject({ kind: 'not-found' });
      await expect(readRows(oauth(), { spreadsheetId: id, sheet: SHEET, cells: 'A1;B2' })).rejects.toThrow(/A1 notation/);
    });
  });

  describe('new rows trigger', () => {
    it('delivers a burst larger than a page exactly once, identical rows included, then only what is appended', async () => {
      // 1234 identical rows: nothing but their position tells them apart.
      const id = fake.addSpreadsheet({ sheets: { [SHEET]: [header, ...Array.from({ length: 1234 }, () => person(7))] } });
      const first = await pollAll(id, { pageSize: 200 });
      expect(first.polls).toBe(7);
      expect(first.seen.map((r) => r.row)).toEqual(Array.from({ length: 1234 }, (_, i) => i + 2));
      expect(new Set(first.seen.map((r) => r.dedupeKey)).size).toBe(1234);

      expect((await pollAll(id, { pageSize: 200 }, first.cursor)).seen).toEqual([]);
      fake.appendRows(id, SHEET, [person(8), [], person(9)]);
      const next = await pollAll(id, { pageSize: 200 }, first.cursor);
      expect(next.seen.map((r) => r.row)).toEqual([1236, 1238]);
    });

    it('starts at startFromRow, uses the id column, and holds back a last row still being typed', async () => {
      const id = fake.addSpreadsheet({ sheets: { [SHEET]: [header, person(1), person(2), person(3), ['Person 4']] } });
      const input = { startFromRow: 3, idColumn: 'Phone', requiredColumns: ['Phone'] };
      const page = await pollAll(id, input);
      expect(page.seen.map((r) => r.id)).toEqual(['+36700000002', '+36700000003']);
      fake.setRow(id, SHEET, 5, person(4));
      expect((await pollAll(id, input, page.cursor)).seen.map((r) => r.id)).toEqual(['+36700000004']);
    });

    it('re-anchors when rows above are deleted or inserted, without repeats', async () => {
      const id = fake.addSpreadsheet({ sheets: { [SHEET]: [header, ...Array.from({ length: 10 }, (_, i) => person(i + 1))] } });
      const first = await pollAll(id, {});
      expect(first.seen).toHaveLength(10);

      fake.deleteRows(id, SHEET, 3, 2);
      fake.appendRows(id, SHEET, [person(11)]);
      const afterDelete = await pollAll(id, {}, first.cursor);
      expect(afterDelete.seen.map((r) => r.row)).toEqual([10]);
      expect(fake.rows(id, SHEET)[9]).toEqual(person(11));

      fake.insertRows(id, SHEET, 2, [person(100)]);
      fake.appendRows(id, SHEET, [person(12)]);
      const afterInsert = await pollAll(id, {}, afterDelete.cursor);
      expect(afterInsert.seen.map((r) => r.row)).toEqual([12]);
    });

    it('reports a row that took the place of the deleted last row, even when the grid shrank below the cursor', async () => {
      const rows = Array.from({ length: 1499 }, (_, i) => person(i + 1));
      const id = fake.addSpreadsheet({ sheets: { [SHEET]: [header, ...rows] } });
      const first = await pollAll(id, { pageSize: 1000 });
      expect(first.cursor).toMatchObject({ row: 1500 });

      // The grid is now 1497 rows: a read from row 1500 is "exceeds grid limits".
      fake.deleteRows(id, SHEET, 1498, 3);
      const empty = await pollAll(id, { pageSize: 1000 }, first.cursor);
      expect(empty.seen).toEqual([]);
      expect(fake.calls.some((c) => c.status === 400)).toBe(true);
      fake.appendRows(id, SHEET, [person(5000)]);
      const next = await pollAll(id, { pageSize: 1000 }, empty.cursor);
      expect(next.seen.map((r) => r.row)).toEqual([1498]);
    });
  });

  describe('limits and failures', () => {
    it('waits out a short Retry-After on 429 and goes on', async () => {
      const id = fake.addSpreadsheet({ sheets: { [SHEET]: [header, person(1)] } });
      fake.scriptNext(googleError(429, 'Quota exceeded for quota metric', { reason: 'RATE_LIMIT_EXCEEDED', headers: { 'retry-after': '1' } }));
      const started = Date.now();
      const out = await readRows(oauth(), { spreadsheetId: id, sheet: SHEET });
      expect(out.rows).toHaveLength(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(fake.calls.map((c) => c.status)).toEqual([429, 200]);
    });

    it('turns Google’s quota answer into a rate-limited error with the wait asked for, else a minute', async () => {
      const limited = new GoogleSheetsFake({ readsPerMinutePerUser: 2, quotaRetryAfterSeconds: 30 });
      await limited.start();
      try {
        const id = limited.addSpreadsheet({ sheets: { [SHEET]: [header] } });
        const ctx = bed.context(googleSheets, limited.url, { authType: 'oauth2', accessToken: TOKEN });
        await readRows(ctx, { spreadsheetId: id, sheet: SHEET });
        await readRows(ctx, { spreadsheetId: id, sheet: SHEET });
        const err = await failure(readRows(ctx, { spreadsheetId: id, sheet: SHEET }));
        expect(err).toMatchObject({ kind: 'rate-limited', retryable: true, details: { retryAfterMs: 30_000, status: 429 } });
        expect(err.message).toMatch(/Quota exceeded/);
      } finally {
        await limited.close();
      }
      const id = fake.addSpreadsheet({ sheets: { [SHEET]: [header] } });
      fake.faults = { failRate: 1, statuses: [429] };
      const err = await failure(readRows(oauth(), { spreadsheetId: id, sheet: SHEET }));
      expect(err.details.retryAfterMs).toBe(60_000);
    });

    it('counts every read against the declared per-minute limit', async () => {
      const id = fake.addSpreadsheet({ sheets: { [SHEET]: [header] } });
      const ctx = bed.context(googleSheets, fake.url, { authType: 'oauth2', accessToken: TOKEN }, { limits: { readRequestsPerMinute: 2 } });
      await readRows(ctx, { spreadsheetId: id, sheet: SHEET });
      await pollNewRows(ctx, { spreadsheetId: id, sheet: SHEET }, undefined);
      const { rows } = await bed.database.pool.query<{ n: string }>(`select count(*) as n from rate_limit_events where bucket like 'google-sheets:${ctx.accountId}:readRequestsPerMinute'`);
      expect(Number(rows[0]!.n)).toBe(2);
    });

    it('maps 5xx, an HTML gateway page and timeouts to retryable transient errors', async () => {
      const id = fake.addSpreadsheet({ sheets: { [SHEET]: [header] } });
      for (const status of [500, 502, 503]) {
        fake.faults = { failRate: 1, statuses: [status] };
        expect(await failure(readRows(oauth(), { spreadsheetId: id, sheet: SHEET }))).toMatchObject({ kind: 'transient', retryable: true, details: { status } });
      }
      fake.faults = { failRate: 0, timeoutRate: 1 };
      const ctx = bed.context(googleSheets, fake.url, { authType: 'oauth2', accessToken: TOKEN }, { timeoutMs: 300 });
      expect(await failure(readRows(ctx, { spreadsheetId: id, sheet: SHEET }))).toMatchObject({ kind: 'transient' });
    });

    it('detects an error envelope inside HTTP 200 and a 200 that is not a value range', async () => {
      const id = fake.addSpreadsheet({ sheets: { [SHEET]: [header] } });
      fake.scriptNext(googleError(403, 'The caller does not have permission', { httpStatus: 200 }));
      expect(await failure(readRows(oauth(), { spreadsheetId: id, sheet: SHEET }))).toMatchObject({ kind: 'auth', retryable: false });
      fake.scriptNext({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>captive portal</html>' });
      expect(await failure(readRows(oauth(), { spreadsheetId: id, sheet: SHEET }))).toMatchObject({ kind: 'transient' });
      fake.scriptNext({ status: 200, body: JSON.stringify({ valueRanges: [] }) });
      expect(await failure(pollNewRows(oauth(), { spreadsheetId: id, sheet: SHEET }, undefined))).toMatchObject({ kind: 'transient' });
    });
  });
});
