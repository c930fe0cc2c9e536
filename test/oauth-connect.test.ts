import { createHash } from 'node:crypto';
import { startApi } from '../processes/service';
import { openState, sealState } from '../api/oauth-state';
import { startOAuthBed, type OAuthBed } from './support/oauth-flow';

/**
 * Connecting Google Sheets by OAuth through the real API: start → Google's consent (the fake) →
 * callback. What comes out is an active account whose tokens exist only sealed in the database.
 */
describe('connecting Google Sheets by OAuth', () => {
  let bed: OAuthBed;
  /** The query of a start for a new account reading the Sheets fake. */
  const named = (name: string) => `name=${encodeURIComponent(name)}&baseUrl=${encodeURIComponent(bed.sheets.url)}`;

  beforeAll(async () => {
    bed = await startOAuthBed();
  });
  afterAll(() => bed?.close());

  const accountCount = async () => Number((await bed.h.database.pool.query<{ n: string }>('select count(*) as n from accounts')).rows[0]!.n);
  const storedCredentials = async (id: string) => {
    const { rows } = await bed.h.database.pool.query<{ credentials_key_id: string; credentials_data: string }>('select * from accounts where id = $1', [id]);
    return bed.h.runtime.secretBox.open({ keyId: rows[0]!.credentials_key_id, data: rows[0]!.credentials_data }, id) as { accessToken: string; refreshToken: string; expiresAt: string };
  };

  it('start redirects to Google with PKCE and a sealed state; the callback creates an active account', async () => {
    const started = await bed.start(named('Sales sheet'));
    expect(started.status).toBe(302);
    const location = started.headers.get('location')!;
    expect(started.body.authorizeUrl).toBe(location);
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(bed.oauth.authorizeUrl);
    const q = Object.fromEntries(url.searchParams);
    expect(q).toMatchObject({
      client_id: bed.oauth.clientId,
      redirect_uri: `${bed.h.api.url}/oauth/callback`,
      response_type: 'code',
      scope: 'https://www.googleapis.com/auth/spreadsheets.readonly',
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
    });
    // The verifier travels inside the state, but only sealed: the URL does not show it.
    const state = openState(bed.h.runtime.secretBox, q.state!);
    if (!state.ok) throw new Error(state.reason);
    expect(state.state).toMatchObject({ system: 'google-sheets', name: 'Sales sheet' });
    const verifier = state.state.verifier!;
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(q.code_challenge);
    expect(location).not.toContain(verifier);
    expect(Buffer.from(q.state!.split('.')[1]!, 'base64url').toString('latin1')).not.toContain(verifier);

    const back = await bed.consent(location);
    const done = await bed.callback(back);
    expect(done.status).toBe(200);
    expect(done.body.account).toMatchObject({ name: 'Sales sheet', status: 'active', statusReason: null, baseUrl: bed.sheets.url });
    const id = done.body.accountId!;
    expect(done.body.account!.id).toBe(id);

    // The code was exchanged once, form-encoded, with the verifier Google's check accepted.
    const exchange = bed.oauth.calls.filter((c) => c.path === '/token');
    expect(exchange).toHaveLength(1);
    expect(exchange[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(exchange[0]!.body).get('code_verifier')).toBe(verifier);
    expect(exchange[0]!.status).toBe(200);

    const issued = bed.oauth.issued.at(-1)!;
    expect(await storedCredentials(id)).toMatchObject({ accessToken: issued.accessToken, refreshToken: issued.refreshToken });
    // The account works: the check the API runs reads Google with the new token.
    const check = await bed.h.request<{ status: string }>('POST', `/accounts/${id}/check`);
    expect(check.body.status).toBe('active');
    const read = await bed.h.request<{ items: unknown[] }>('GET', '/accounts');
    expect(read.text).toContain(id);
    bed.seen.push({ status: check.status, text: check.text, location: null }, { status: read.status, text: read.text, location: null });
    expect(bed.sheets.calls.at(-1)!.headers.authorization).toBe(`Bearer ${issued.accessToken}`);
  });

  it('a browser gets a page naming the account', async () => {
    const page = await bed.connect(named('Ops <team>'), 'text/html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.text).toContain('Connected Ops &#60;team&#62;; you can close this window.');
    const [row] = (await bed.h.database.pool.query<{ id: string }>("select id from accounts where name = 'Ops <team>'")).rows;
    expect(page.text).toContain(row!.id);
  });

  it('a refused consent is a 400 naming access_denied, and nothing is created', async () => {
    const before = await accountCount();
    bed.oauth.consent = 'deny';
    try {
      const denied = await bed.connect(named('Denied'));
      expect(denied.status).toBe(400);
      expect(denied.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(denied.body.detail).toMatch(/access_denied/);
      const page = await bed.connect(named('Denied'), 'text/html');
      expect(page.status).toBe(400);
      expect(page.text).toMatch(/access_denied/);
    } finally {
      bed.oauth.consent = 'allow';
    }
    expect(await accountCount()).toBe(before);
  });

  it('a forged, expired or missing state is a 400 naming the problem, and a code works only once', async () => {
    const before = await accountCount();
    const started = await bed.start(named('Tampered'));
    const back = new URL(await bed.consent(started.headers.get('location')!));
    const state = back.searchParams.get('state')!;
    const withState = (s: string | null) => {
      const u = new URL(back);
      if (s === null) u.searchParams.delete('state');
      else u.searchParams.set('state', s);
      return u.toString();
    };

    const flipped = state.slice(0, -3) + (state.at(-3) === 'A' ? 'B' : 'A') + state.slice(-2);
    const forged = await bed.callback(withState(flipped));
    expect(forged.status).toBe(400);
    expect(forged.body.detail).toMatch(/state parameter is not one this service issued/);

    const stale = sealState(bed.h.runtime.secretBox, { system: 'google-sheets', name: 'Tampered' }, Date.now() - 11 * 60 * 1000);
    const expired = await bed.callback(withState(stale));
    expect(expired.status).toBe(400);
    expect(expired.body.detail).toMatch(/expired/);

    const missing = await bed.callback(withState(null));
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toMatch(/state parameter is missing/);
    expect(await accountCount()).toBe(before);

    // The genuine state still works (the code was never spent on a bad state)…
    const ok = await bed.callback(back.toString());
    expect(ok.status).toBe(200);
    // …and only once: Google refuses a code used before.
    const replay = await bed.callback(back.toString());
    expect(replay.status).toBe(400);
    expect(replay.body.detail).toMatch(/invalid_grant/);
    expect(await accountCount()).toBe(before + 1);
  });

  it('reconnects an existing account in place, renewing a token that is about to expire before the check', async () => {
    const first = await bed.connect(named('Reconnect me'));
    const id = first.body.accountId!;
    const old = await storedCredentials(id);
    // The user revokes access at Google: the stored tokens are dead, the check says so.
    bed.oauth.revokeRefreshToken(old.refreshToken);
    bed.sheets.revokeToken(old.accessToken);
    const failed = await bed.h.request<{ status: string; statusReason: string }>('POST', `/accounts/${id}/check`);
    expect(failed.body.status).toBe('inactive');
    expect(failed.body.statusReason).toMatch(/invalid_grant \(Token has been expired or revoked\.\)/);
    const before = await accountCount();

    // Google's new token lives 30 s: under the 60 s margin, so the check renews it before using it.
    bed.oauth.nextTokenTtls(30);
    const grantsBefore = bed.oauth.tokenGrants().length;
    const sheetCallsBefore = bed.sheets.calls.length;
    const again = await bed.connect(`accountId=${id}`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accountId: id, account: { name: 'Reconnect me', status: 'active' } });
    expect(await accountCount()).toBe(before);
    expect(bed.oauth.tokenGrants().slice(grantsBefore)).toEqual(['authorization_code', 'refresh_token']);
    const [short, renewed] = bed.oauth.issued.slice(-2);
    const stored = await storedCredentials(id);
    expect(stored.accessToken).toBe(renewed!.accessToken);
    expect(stored.refreshToken).toBe(short!.refreshToken);
    expect(stored.refreshToken).not.toBe(old.refreshToken);
    const used = bed.sheets.calls.slice(sheetCallsBefore).map((c) => c.headers.authorization);
    expect(used.length).toBeGreaterThan(0);
    expect(new Set(used)).toEqual(new Set([`Bearer ${renewed!.accessToken}`]));
  });

  it('start refuses what it cannot do, naming why', async () => {
    const unas = await bed.h.request<{ detail: string }>('GET', '/oauth/unas/start?name=x');
    expect(unas.status).toBe(404);
    expect(unas.body.detail).toMatch(/UNAS \("unas"\) does not connect by OAuth/);
    expect((await bed.h.request('GET', '/oauth/nope/start?name=x')).status).toBe(404);

    const noName = await bed.h.request<{ errors: { field: string }[] }>('GET', '/oauth/google-sheets/start');
    expect(noName.status).toBe(422);
    expect(noName.body.errors.map((e) => e.field)).toEqual(['name']);
    const badId = await bed.h.request<{ errors: { field: string }[] }>('GET', '/oauth/google-sheets/start?accountId=42');
    expect(badId.status).toBe(422);
    expect(badId.body.errors.map((e) => e.field)).toContain('accountId');
    const unknown = await bed.h.request('GET', '/oauth/google-sheets/start?accountId=00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);

    const anonymous = await fetch(`${bed.h.api.url}/oauth/google-sheets/start?name=x`, { redirect: 'manual' });
    expect(anonymous.status).toBe(401);

    // A server without GOOGLE_OAUTH_CLIENT_ID/SECRET says which variables to set.
    const bare = await startApi({ PORT: 0, API_TOKEN: bed.h.apiToken, TEMPORAL_TASK_QUEUE: bed.h.taskQueue }, { ...bed.h.runtime, oauthClients: undefined }, bed.h.temporal);
    try {
      const res = await fetch(`${bare.url}/oauth/google-sheets/start?name=x`, { headers: { authorization: `Bearer ${bed.h.apiToken}` }, redirect: 'manual' });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET/);
    } finally {
      await bare.close();
    }
  });

  describe('secrets', () => {
    const secrets = () => {
      const codes = bed.oauth.calls.filter((c) => c.path === '/token').flatMap((c) => new URLSearchParams(c.body).get('code') ?? []);
      const states = bed.oauth.calls.filter((c) => c.path === '/o/oauth2/v2/auth').map((c) => String(c.query.state));
      const tokens = bed.oauth.issued.flatMap((t) => [t.accessToken, t.refreshToken ?? []].flat());
      return { codes, states, tokens, clientSecret: bed.oauth.clientSecret };
    };

    it('no token, code or client secret is in any API answer', () => {
      const { codes, tokens, clientSecret } = secrets();
      expect(codes.length).toBeGreaterThan(4);
      expect(tokens.length).toBeGreaterThan(8);
      for (const answer of bed.seen) for (const s of [...codes, ...tokens, clientSecret]) expect(answer.text).not.toContain(s);
    });

    it('no token, code or state is in the logs, though the callbacks were logged', () => {
      const logs = bed.h.logs.join('');
      expect(logs).toContain('/oauth/callback?');
      const { codes, states, tokens, clientSecret } = secrets();
      for (const s of [...codes, ...states, ...tokens, clientSecret]) {
        expect(logs).not.toContain(s);
        expect(logs).not.toContain(encodeURIComponent(s));
      }
    });

    it('the database holds tokens only as ciphertext', async () => {
      const { rows } = await bed.h.database.pool.query<{ dump: string }>(`select string_agg(row_to_json(a)::text, E'\\n') as dump from accounts a`);
      const { tokens } = secrets();
      expect(rows[0]!.dump).toContain('credentials_data');
      for (const t of tokens) expect(rows[0]!.dump).not.toContain(t);
    });
  });
});
