import { worksectionCredentials } from '../connectors/worksection/auth';
import { WorksectionFake } from './fakes/worksection-fake';
import { startHarness, type Harness } from './support/harness';

interface Done {
  accountId?: string;
  account?: { id: string; name: string; status: string; statusReason: string | null; baseUrl: string };
  detail?: string;
}

/**
 * Connecting Worksection by OAuth through the real API: start → Worksection's consent (the fake) →
 * callback. The account's address comes from the token answer's account_url, and its tokens exist
 * only sealed in the database.
 */
describe('connecting Worksection by OAuth', () => {
  let fake: WorksectionFake;
  let h: Harness;
  const answers: string[] = [];

  beforeAll(async () => {
    fake = new WorksectionFake({ requestsPerSecond: null });
    await fake.start();
    h = await startHarness({
      noWorker: true,
      oauthClients: { worksection: { clientId: fake.clientId, clientSecret: fake.clientSecret, authorizeUrl: fake.authorizeUrl, tokenUrl: fake.tokenUrl } },
    });
    fake.redirectUris.add(`${h.api.url}/oauth/callback`);
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  async function fetchKept(url: string, init: RequestInit = {}): Promise<{ status: number; location: string | null; body: Done }> {
    const res = await fetch(url, { redirect: 'manual', ...init });
    const text = await res.text();
    answers.push(text, res.headers.get('location') ?? '');
    let body: Done = {};
    try {
      body = JSON.parse(text) as Done;
    } catch {
      // a page
    }
    return { status: res.status, location: res.headers.get('location'), body };
  }

  /** start (with the API token) → the fake's consent → the callback, as a program asking for JSON. */
  async function connect(name: string): Promise<{ status: number; body: Done }> {
    const started = await fetchKept(`${h.api.url}/oauth/worksection/start?name=${encodeURIComponent(name)}`, { headers: { authorization: `Bearer ${h.apiToken}` } });
    expect(started.status).toBe(302);
    const consent = await fetch(started.location!, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    return fetchKept(consent.headers.get('location')!, { headers: { accept: 'application/json' } });
  }

  const stored = async (id: string) => {
    const { rows } = await h.database.pool.query<{ credentials_key_id: string; credentials_data: string }>('select * from accounts where id = $1', [id]);
    return worksectionCredentials.parse(h.runtime.secretBox.open({ keyId: rows[0]!.credentials_key_id, data: rows[0]!.credentials_data }, id));
  };

  it('start sends the browser to Worksection; the callback creates an active account at the account_url, checked through /api/oauth2', async () => {
    const started = await fetchKept(`${h.api.url}/oauth/worksection/start?name=Acme`, { headers: { authorization: `Bearer ${h.apiToken}` } });
    const url = new URL(started.location!);
    expect(`${url.origin}${url.pathname}`).toBe(fake.authorizeUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: fake.clientId,
      redirect_uri: `${h.api.url}/oauth/callback`,
      response_type: 'code',
      scope: 'projects_read tasks_read tasks_write users_read',
    });
    expect(url.searchParams.get('state')).toBeTruthy();

    const done = await connect('Acme tasks');
    expect(done.status).toBe(200);
    expect(done.body.account).toMatchObject({ name: 'Acme tasks', status: 'active', statusReason: null, baseUrl: fake.url });
    const id = done.body.accountId!;

    const credentials = await stored(id);
    const issued = fake.issued.at(-1)!;
    expect(credentials).toMatchObject({ authType: 'oauth2', accessToken: issued.accessToken, refreshToken: issued.refreshToken });
    expect(credentials.apiKey).toBeUndefined();
    // The check went to the user API with the new token.
    const check = fake.calls.filter((c) => c.path === '/api/oauth2').at(-1)!;
    expect([check.query.action, check.status, check.headers.authorization]).toEqual(['get_projects', 200, `Bearer ${issued.accessToken}`]);

    // The account as the API shows it: no token anywhere, in any answer.
    const account = await h.request<{ status: string; baseUrl: string }>('GET', `/accounts/${id}`);
    answers.push(account.text);
    expect(account.body).toMatchObject({ status: 'active', baseUrl: fake.url });
    for (const text of answers) for (const secret of [issued.accessToken, issued.refreshToken, fake.clientSecret]) expect(text).not.toContain(secret);
  });

  it('GET /systems offers Worksection both ways: its key form and OAuth', async () => {
    const res = await h.request<{ auth: { type: string; oauth: boolean; secretFields: string[] } }>('GET', '/systems/worksection');
    expect(res.body.auth).toMatchObject({ type: 'api-key', oauth: true });
    expect(res.body.auth.secretFields).toEqual(expect.arrayContaining(['apiKey', 'accessToken', 'refreshToken']));
    const sheets = await h.request<{ auth: { type: string; oauth: boolean } }>('GET', '/systems/google-sheets');
    expect(sheets.body.auth).toMatchObject({ type: 'oauth2', oauth: true });
    const sms = await h.request<{ auth: { type: string; oauth: boolean } }>('GET', '/systems/8x8');
    expect(sms.body.auth.oauth).toBe(false);
  });

  it('an account_url outside Worksection (and EGRESS_ALLOW) is refused: nothing is connected', async () => {
    const before = (await h.database.pool.query('select id from accounts')).rowCount;
    fake.accountUrl = 'https://acme.example.com';
    try {
      const done = await connect('Elsewhere');
      expect(done.status).toBe(502);
      expect(done.body.detail).toMatch(/Worksection named an account address this service may not reach/);
    } finally {
      fake.accountUrl = undefined;
    }
    expect((await h.database.pool.query('select id from accounts')).rowCount).toBe(before);
  });

  it('the admin key still connects as before', async () => {
    const res = await h.request<{ status: string }>('POST', '/accounts', { system: 'worksection', name: 'By key', baseUrl: fake.url, credentials: { apiKey: fake.apiKey } });
    expect(res.status).toBe(201);
    const check = await h.request<{ status: string }>('POST', `/accounts/${(res.body as unknown as { id: string }).id}/check`);
    expect(check.body).toMatchObject({ status: 'active' });
    expect(fake.calls.at(-1)).toMatchObject({ path: '/api/admin/v2/', status: 200 });
  });
});
