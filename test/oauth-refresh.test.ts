import { ApplicationFailure } from '@temporalio/common';
import { withAccountStatus } from '../activities/accounts/account-status';
import { openAccount } from '../connectors/accounts/open-account';
import { googleSheetsCredentials } from '../connectors/google-sheets/auth';
import { readRows } from '../connectors/google-sheets/read-rows';
import { startOAuthBed, type OAuthBed } from './support/oauth-flow';

/**
 * Token renewal as a worker meets it: accounts connected through the API, opened the way the
 * activities open them (real PostgreSQL, sealed credentials), reading the Sheets fake.
 */
describe('Google Sheets tokens are renewed and saved', () => {
  let bed: OAuthBed;
  let sheetId: string;

  beforeAll(async () => {
    bed = await startOAuthBed();
    sheetId = bed.sheets.addSpreadsheet({ sheets: { Leads: [['Name', 'Phone'], ['Ann', '+36701234567'], ['Bob', '+36707654321']] } });
  });
  afterAll(() => bed?.close());

  async function connected(name: string): Promise<string> {
    const done = await bed.connect(`name=${encodeURIComponent(name)}&baseUrl=${encodeURIComponent(bed.sheets.url)}`);
    expect(done.body.account?.status).toBe('active');
    return done.body.accountId!;
  }

  /** What an activity does: open the account (decrypting inside the process) and read the sheet. */
  async function readSheet(accountId: string) {
    const { ctx } = await openAccount(bed.h.runtime, accountId);
    const sheets = { ...ctx, credentials: googleSheetsCredentials.parse(ctx.credentials) };
    return readRows(sheets, { spreadsheetId: sheetId, sheet: 'Leads' });
  }

  async function stored(id: string) {
    const { rows } = await bed.h.database.pool.query<{ credentials_key_id: string; credentials_data: string; status: string; status_reason: string | null }>('select * from accounts where id = $1', [id]);
    const row = rows[0]!;
    const credentials = googleSheetsCredentials.parse(bed.h.runtime.secretBox.open({ keyId: row.credentials_key_id, data: row.credentials_data }, id));
    return { ...credentials, status: row.status, statusReason: row.status_reason, sealed: row.credentials_data };
  }

  it('a read after the token expired renews it once, saves it sealed, and the next read uses it', async () => {
    const id = await connected('Expiring');
    const before = await stored(id);
    bed.sheets.expireToken(before.accessToken!);
    const grants = bed.oauth.tokenGrants().length;
    const calls = bed.sheets.calls.length;

    const first = await readSheet(id);
    expect(first.rows.map((r) => r.values.Name)).toEqual(['Ann', 'Bob']);
    expect(bed.oauth.tokenGrants().slice(grants)).toEqual(['refresh_token']);
    const renewed = bed.oauth.issued.at(-1)!.accessToken;
    // Google refused the old token once (its 401 shape), then the same read went through with the new one.
    expect(bed.sheets.calls.slice(calls).map((c) => [c.status, c.headers.authorization])).toEqual([
      [401, `Bearer ${before.accessToken}`],
      [200, `Bearer ${renewed}`],
    ]);
    const after = await stored(id);
    expect(after.accessToken).toBe(renewed);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(Date.parse(after.expiresAt!)).toBeGreaterThan(Date.now() + 3000 * 1000);
    expect(after.sealed).not.toContain(renewed);

    // A new activity opens the account from the database: it reads with the saved token, no renewal.
    const calls2 = bed.sheets.calls.length;
    const second = await readSheet(id);
    expect(second.rows).toHaveLength(2);
    expect(bed.oauth.tokenGrants().slice(grants)).toEqual(['refresh_token']);
    expect(bed.sheets.calls.slice(calls2).map((c) => [c.status, c.headers.authorization])).toEqual([[200, `Bearer ${renewed}`]]);
  });

  it('two workers holding the same expired token renew it once: the second takes the token the first saved', async () => {
    const id = await connected('Shared');
    const before = await stored(id);
    const a = await openAccount(bed.h.runtime, id);
    const b = await openAccount(bed.h.runtime, id);
    bed.sheets.expireToken(before.accessToken!);
    const grants = bed.oauth.tokenGrants().length;

    await readRows({ ...a.ctx, credentials: googleSheetsCredentials.parse(a.ctx.credentials) }, { spreadsheetId: sheetId, sheet: 'Leads' });
    const workerB = { ...b.ctx, credentials: googleSheetsCredentials.parse(b.ctx.credentials) };
    const rows = await readRows(workerB, { spreadsheetId: sheetId, sheet: 'Leads' });
    expect(rows.rows).toHaveLength(2);
    expect(bed.oauth.tokenGrants().slice(grants)).toEqual(['refresh_token']);
    expect(workerB.credentials.accessToken).toBe((await stored(id)).accessToken);
  });

  it('a token that expires within 60 s is renewed before the read, so Google never refuses it', async () => {
    const grants = bed.oauth.tokenGrants().length;
    // The code's token and its first renewal (at the connect's check) live 45 s each.
    bed.oauth.nextTokenTtls(45, 45);
    const id = await connected('Short-lived');
    const dueSoon = await stored(id);
    expect(Date.parse(dueSoon.expiresAt!) - Date.now()).toBeLessThan(60_000);
    const calls = bed.sheets.calls.length;

    const read = await readSheet(id);
    expect(read.rows).toHaveLength(2);
    expect(bed.oauth.tokenGrants().slice(grants)).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
    const renewed = bed.oauth.issued.at(-1)!.accessToken;
    expect(bed.sheets.calls.slice(calls).map((c) => [c.status, c.headers.authorization])).toEqual([[200, `Bearer ${renewed}`]]);
    expect((await stored(id)).accessToken).toBe(renewed);
  });

  it('a revoked refresh token makes the account inactive with Google’s words', async () => {
    const id = await connected('Revoked');
    const before = await stored(id);
    bed.oauth.revokeRefreshToken(before.refreshToken!);
    bed.sheets.expireToken(before.accessToken!);

    const deps = { ...bed.h.runtime, safetyLagSeconds: 0 };
    const failure = await withAccountStatus(deps, { accountIds: { 'google-sheets': id } }, () => readSheet(id)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'auth', nonRetryable: true });
    const after = await stored(id);
    expect(after.status).toBe('inactive');
    expect(after.statusReason).toMatch(/could not be renewed; reconnect the account .*invalid_grant \(Token has been expired or revoked\.\)/);
    expect(after.statusReason).not.toContain(before.refreshToken!);
    const view = await bed.h.request<{ status: string; statusReason: string }>('GET', `/accounts/${id}`);
    expect(view.body).toMatchObject({ status: 'inactive', statusReason: after.statusReason });
  });
});
