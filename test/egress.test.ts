import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { isConnectorError } from '../connectors/kit/errors';
import { requestToken } from '../connectors/kit/oauth2';
import { accounts } from '../db/schema';
import { UnasFake } from './fakes/unas-fake';
import { egressAllow, TEST_EGRESS_ALLOW } from './support/egress';
import { startHarness, type Harness } from './support/harness';

interface Account {
  id: string;
  baseUrl: string;
  status: string;
  statusReason: string | null;
}
interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

/** A bare listener on 127.0.0.1 that records what reaches it and answers as told. */
async function listener(answer: (req: http.IncomingMessage, body: string) => { status: number; headers?: Record<string, string>; body?: string }) {
  const calls: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      calls.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const a = answer(req, body);
      res.writeHead(a.status, a.headers ?? {});
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const UNAS_KEY = 'unas-KEY-egress-5c1e9a7b';
const NETHUNT_KEY = 'nethunt-KEY-egress-3f8d2a6c';

describe('egress: where credentials may go', () => {
  describe('with nothing in EGRESS_ALLOW', () => {
    let h: Harness;
    let fake: UnasFake;

    beforeAll(async () => {
      h = await startHarness({ noWorker: true, egressAllow: '' });
      fake = new UnasFake({ apiKeys: [UNAS_KEY] });
      await fake.start();
    });
    afterAll(async () => {
      await h?.close();
      await fake?.close();
    });

    it('refuses a base URL on a loopback port at save (422 naming baseUrl and the allowed hosts)', async () => {
      const res = await h.request<Problem>('POST', '/accounts', { system: 'unas', name: 'Shop', baseUrl: fake.url, credentials: { apiKey: UNAS_KEY } });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([{ field: 'baseUrl', message: expect.stringMatching(/127\.0\.0\.1 is not a UNAS host: allowed are https:\/\/api\.unas\.eu/) as unknown }]);
      expect(fake.calls).toHaveLength(0);
    });

    it('refuses the metadata service and plain http to a declared host, at create and on PATCH', async () => {
      const metadata = await h.request<Problem>('POST', '/accounts', { system: '8x8', name: 'SMS', baseUrl: 'http://169.254.169.254/latest', credentials: { apiKey: 'k'.repeat(20), subAccountId: 'acme_hq' } });
      expect(metadata.status).toBe(422);
      expect(metadata.body.errors?.[0]).toMatchObject({ field: 'baseUrl', message: expect.stringMatching(/https:\/\/sms\.8x8\.com, https:\/\/sms\.us\.8x8\.com/) as unknown });

      const created = await h.request<Account>('POST', '/accounts', { system: 'unas', name: 'Shop', credentials: { apiKey: UNAS_KEY } });
      expect(created.status).toBe(201);
      expect(created.body.baseUrl).toBe('https://api.unas.eu/shop');
      const plain = await h.request<Problem>('PATCH', `/accounts/${created.body.id}`, { baseUrl: 'http://api.unas.eu/shop' });
      expect(plain.status).toBe(422);
      expect(plain.body.errors?.[0]).toMatchObject({ field: 'baseUrl', message: expect.stringMatching(/https/) as unknown });
      const local = await h.request<Problem>('PATCH', `/accounts/${created.body.id}`, { baseUrl: `${fake.url}/shop` });
      expect(local.status).toBe(422);
      expect(local.body.errors?.[0]?.field).toBe('baseUrl');
      expect((await h.request<Account>('GET', `/accounts/${created.body.id}`)).body.baseUrl).toBe('https://api.unas.eu/shop');
    });

    it('refuses at request time too: an account stored before these checks reaches nothing', async () => {
      const id = randomUUID();
      const sealed = h.runtime.secretBox.seal({ apiKey: UNAS_KEY }, id);
      await h.database.db.insert(accounts).values({ id, system: 'unas', name: 'Old', baseUrl: fake.url, limits: {}, credentialsKeyId: sealed.keyId, credentialsData: sealed.data });
      const check = await h.request<Account>('POST', `/accounts/${id}/check`);
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ status: 'inactive', statusReason: expect.stringMatching(/127\.0\.0\.1 is not a UNAS host/) as unknown });
      expect(fake.calls).toHaveLength(0);
    });
  });

  describe(`with EGRESS_ALLOW=${TEST_EGRESS_ALLOW} (the fakes' address)`, () => {
    let h: Harness;
    const closers: (() => Promise<void>)[] = [];

    beforeAll(async () => {
      // nowhere.invalid passes the host check, so what is tested is its resolution.
      h = await startHarness({ noWorker: true, egressAllow: `${TEST_EGRESS_ALLOW},nowhere.invalid` });
    });
    afterAll(async () => {
      await h?.close();
      await Promise.all(closers.map((c) => c()));
    });

    it('names a host that does not resolve: the check marks the account inactive (not retried)', async () => {
      const created = await h.request<Account>('POST', '/accounts', { system: 'unas', name: 'Typo', baseUrl: 'http://nowhere.invalid/shop', credentials: { apiKey: UNAS_KEY } });
      expect(created.status).toBe(201);
      const check = await h.request<Account>('POST', `/accounts/${created.body.id}/check`);
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ status: 'inactive', statusReason: expect.stringMatching(/nowhere\.invalid does not resolve \(ENOTFOUND|EAI_NONAME|ENODATA\)/) as unknown });
    });

    it('does not follow a redirect: the call fails naming it, and the second listener receives nothing', async () => {
      const elsewhere = await listener(() => ({ status: 200, body: '<Login><Token>t</Token></Login>' }));
      const redirecting = await listener(() => ({ status: 302, headers: { location: `${elsewhere.url}/shop/login` } }));
      closers.push(elsewhere.close, redirecting.close);
      const created = await h.request<Account>('POST', '/accounts', { system: 'unas', name: 'Moved', baseUrl: `${redirecting.url}/shop`, credentials: { apiKey: UNAS_KEY } });
      expect(created.status).toBe(201);

      const check = await h.request<Account>('POST', `/accounts/${created.body.id}/check`);
      expect(check.status).toBe(200);
      expect(check.body.status).toBe('inactive');
      expect(check.body.statusReason).toMatch(/HTTP 302, a redirect, not followed \(check the account's base URL\); it pointed to http:\/\/127\.0\.0\.1:\d+\/shop\/login/);
      expect(redirecting.calls).toHaveLength(1);
      expect(redirecting.calls[0]!.body).toContain(UNAS_KEY);
      expect(elsewhere.calls).toHaveLength(0);
    });

    it('does not follow a redirect from an OAuth token endpoint either: the client secret and the code stay put', async () => {
      const elsewhere = await listener(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"access_token":"stolen-token-1234"}' }));
      const redirecting = await listener(() => ({ status: 307, headers: { location: `${elsewhere.url}/token` } }));
      closers.push(elsewhere.close, redirecting.close);
      const client = {
        system: 'google-sheets',
        clientId: 'client-id',
        clientSecret: 'client-SECRET-4e7a1b9c',
        authorizeUrl: `${redirecting.url}/auth`,
        tokenUrl: `${redirecting.url}/token`,
        egress: { name: 'Google Sheets OAuth', hosts: ['oauth2.googleapis.com'], allow: egressAllow() },
      };
      const failure = await requestToken(client, { grant_type: 'authorization_code', code: 'the-code-5d2f8a', redirect_uri: 'http://127.0.0.1/cb' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isConnectorError(failure) && failure.kind).toBe('validation');
      expect(failure instanceof Error && failure.message).toMatch(/HTTP 307, a redirect, not followed.*; it pointed to http:\/\/127\.0\.0\.1:\d+\/token/);
      expect(redirecting.calls[0]!.body).toContain('client-SECRET-4e7a1b9c');
      expect(elsewhere.calls).toHaveLength(0);
    });

    it('drops the stored credentials when PATCH moves the base URL without new ones: the old key never reaches the new host', async () => {
      const first = new UnasFake({ apiKeys: [UNAS_KEY] });
      const second = new UnasFake({ apiKeys: [UNAS_KEY] });
      await Promise.all([first.start(), second.start()]);
      closers.push(() => first.close(), () => second.close());
      const created = await h.request<Account>('POST', '/accounts', { system: 'unas', name: 'Shop', baseUrl: first.url, credentials: { apiKey: UNAS_KEY } });
      expect((await h.request<Account>('POST', `/accounts/${created.body.id}/check`)).body.status).toBe('active');
      expect(first.calls.some((c) => c.body.includes(UNAS_KEY))).toBe(true);

      // The same origin (a trailing slash) keeps them.
      const same = await h.request<Account>('PATCH', `/accounts/${created.body.id}`, { baseUrl: `${first.url}/` });
      expect(same.body).toMatchObject({ status: 'active', statusReason: null });

      const moved = await h.request<Account>('PATCH', `/accounts/${created.body.id}`, { baseUrl: second.url });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ baseUrl: second.url, status: 'inactive', statusReason: 'base URL changed: enter the credentials again' });

      const check = await h.request<Account>('POST', `/accounts/${created.body.id}/check`);
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ status: 'inactive', statusReason: expect.stringMatching(/no credentials since its base URL changed/) as unknown });
      expect(second.calls).toHaveLength(0);

      // Credentials given with the move (or after it) make it usable again, at the new host.
      const given = await h.request<Account>('PATCH', `/accounts/${created.body.id}`, { credentials: { apiKey: UNAS_KEY } });
      expect(given.body).toMatchObject({ status: 'unchecked', statusReason: null });
      expect((await h.request<Account>('POST', `/accounts/${created.body.id}/check`)).body.status).toBe('active');
      expect(second.calls.length).toBeGreaterThan(0);
    });

    it("echoes the provider's words cut short and scrubbed of what the request carried (a Basic header too)", async () => {
      const basic = `Basic ${Buffer.from(`ops@example.com:${NETHUNT_KEY}`).toString('base64')}`;
      const echo = await listener((req) => {
        const told = `${req.headers.authorization ?? ''} ${NETHUNT_KEY} ${'x'.repeat(2_000)}`;
        return req.url?.includes('fail') ? { status: 500, body: told } : { status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: `refused ${told}` }) };
      });
      closers.push(echo.close);
      const created = await h.request<Account>('POST', '/accounts', { system: 'nethunt', name: 'CRM', baseUrl: echo.url, credentials: { email: 'ops@example.com', apiKey: NETHUNT_KEY } });
      expect(created.status).toBe(201);

      const refused = await h.request<Account>('POST', `/accounts/${created.body.id}/check`);
      expect(refused.body.status).toBe('inactive');
      expect(refused.body.statusReason).toMatch(/^NetHunt refused the e-mail or API key: refused \[redacted\] \[redacted\] x+…$/);
      expect(refused.body.statusReason!.length).toBeLessThanOrEqual(300);
      expect(echo.calls[0]!.headers.authorization).toBe(basic);

      // A 5xx is a 502 whose detail is bounded and scrubbed the same way.
      await h.request('PATCH', `/accounts/${created.body.id}`, { baseUrl: `${echo.url}/fail`, credentials: { email: 'ops@example.com', apiKey: NETHUNT_KEY } });
      const outage = await h.request<Problem>('POST', `/accounts/${created.body.id}/check`);
      expect(outage.status).toBe(502);
      const prefix = 'could not reach NetHunt CRM to check the credentials: ';
      expect(outage.body.detail.startsWith(prefix)).toBe(true);
      expect(outage.body.detail.length).toBeLessThanOrEqual(prefix.length + 300);
      for (const answer of [refused.text, outage.text]) {
        expect(answer).not.toContain(NETHUNT_KEY);
        expect(answer).not.toContain(basic.slice(6));
      }
    });
  });
});
