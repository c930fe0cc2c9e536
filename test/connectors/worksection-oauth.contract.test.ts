import { resolveOAuthClient } from '../../connectors/kit/oauth2';
import type { ConnectorContext } from '../../connectors/kit/types';
import { worksection } from '../../connectors/worksection';
import type { WorksectionCredentials } from '../../connectors/worksection/auth';
import { signedQuery } from '../../connectors/worksection/client';
import { WorksectionFake } from '../fakes/worksection-fake';
import { connectorFailure, connectorTestbed } from '../support/connector-context';
import { egressAllow } from '../support/egress';

const FAST = { limits: { requestsPerSecond: 1000 } };
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

type Ctx = ConnectorContext<WorksectionCredentials>;

/** Worksection's user API (OAuth 2) against the fake: the same actions, a Bearer token instead of the md5 hash. */
describe('Worksection connector signed in by OAuth', () => {
  let bed: Awaited<ReturnType<typeof connectorTestbed>>;
  let fake: WorksectionFake;

  beforeAll(async () => {
    bed = await connectorTestbed();
  });
  afterAll(() => bed.close());
  beforeEach(async () => {
    fake = new WorksectionFake({ requestsPerSecond: null });
    await fake.start();
  });
  afterEach(() => fake.close());

  /** What the consent and the callback's code exchange leave in an account, straight from the fake's endpoints. */
  async function signIn(): Promise<{ accessToken: string; refreshToken: string; accountUrl: string }> {
    const url = new URL(fake.authorizeUrl);
    for (const [k, v] of Object.entries({ client_id: fake.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'projects_read tasks_write', state: 's' })) url.searchParams.set(k, v);
    const consent = await fetch(url, { redirect: 'manual' });
    const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: fake.clientId, client_secret: fake.clientSecret });
    const res = await fetch(fake.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const t = (await res.json()) as { access_token: string; refresh_token: string; account_url: string; token_type: string; expires_in: number };
    expect(t).toMatchObject({ token_type: 'Bearer', expires_in: 86400, account_url: fake.url });
    return { accessToken: t.access_token, refreshToken: t.refresh_token, accountUrl: t.account_url };
  }

  function oauthCtx(tokens: { accessToken: string; refreshToken: string }): Ctx {
    const ctx = bed.context(worksection, fake.url, { authType: 'oauth2', ...tokens, expiresAt: new Date(Date.now() + 86_400_000).toISOString() }, FAST);
    ctx.oauthClient = resolveOAuthClient(worksection, { worksection: { clientId: fake.clientId, clientSecret: fake.clientSecret, tokenUrl: fake.tokenUrl } }, egressAllow());
    return ctx;
  }

  it('lists projects and creates a task through /api/oauth2 with the Bearer token, no hash', async () => {
    const tokens = await signIn();
    const ctx = oauthCtx(tokens);
    expect(await worksection.check(ctx)).toEqual({ details: { activeProjects: 1 } });
    const projects = (await worksection.actions['list-projects'].run(ctx, {})) as { id: string }[];
    expect(projects.map((p) => p.id)).toEqual(['26', '27', '28']);
    const created = (await worksection.actions['create-task'].run(ctx, { projectId: '26', title: "Call O'Brien" })) as { id: string };
    expect(fake.task(created.id)).toMatchObject({ name: "Call O'Brien" });

    const apiCalls = fake.calls.filter((c) => !c.path.startsWith('/oauth2/'));
    expect(apiCalls.map((c) => [c.path, c.query.action, c.status])).toEqual([
      ['/api/oauth2', 'get_projects', 200],
      ['/api/oauth2', 'get_projects', 200],
      ['/api/oauth2', 'post_task', 200],
    ]);
    for (const c of apiCalls) {
      expect(c.headers.authorization).toBe(`Bearer ${tokens.accessToken}`);
      expect(c.rawQuery).not.toMatch(/hash=/);
    }
  });

  it('the fake holds each API to its own signature: no hash on the OAuth path, no Bearer on the admin path', async () => {
    const { accessToken } = await signIn();
    const signed = await fetch(`${fake.url}/api/oauth2?${signedQuery('get_projects', {}, fake.apiKey)}`);
    expect(signed.status).toBe(401);
    expect(await signed.json()).toMatchObject({ status: 'error' });
    const bearerOnAdmin = await fetch(`${fake.url}/api/admin/v2/?action=get_projects`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(await bearerOnAdmin.json()).toMatchObject({ status: 'error', message: 'Invalid hash' });
  });

  it('an expired access token is renewed once and the call repeated with the new one', async () => {
    const tokens = await signIn();
    const ctx = oauthCtx(tokens);
    fake.expireToken(tokens.accessToken);
    const grants = fake.tokenGrants().length;

    const projects = (await worksection.actions['list-projects'].run(ctx, { status: 'active' })) as unknown[];
    expect(projects).toHaveLength(1);
    expect(fake.tokenGrants().slice(grants)).toEqual(['refresh_token']);
    const renewed = fake.issued.at(-1)!;
    const api = fake.calls.filter((c) => c.path === '/api/oauth2');
    expect(api.map((c) => [c.status, c.headers.authorization])).toEqual([
      [401, `Bearer ${tokens.accessToken}`],
      [200, `Bearer ${renewed.accessToken}`],
    ]);
    // The context holds the new pair: the refresh token the fake rotated is the one kept.
    expect(ctx.credentials).toMatchObject({ accessToken: renewed.accessToken, refreshToken: renewed.refreshToken });
  });

  it('a token that cannot be renewed is an auth error naming the reconnect, without any token in it', async () => {
    const tokens = await signIn();
    const ctx = oauthCtx(tokens);
    fake.expireToken(tokens.accessToken);
    fake.revokeRefreshToken(tokens.refreshToken);
    const err = await connectorFailure(worksection.actions['list-projects'].run(ctx, {}), [tokens.accessToken, tokens.refreshToken, fake.clientSecret]);
    expect(err).toMatchObject({ kind: 'auth', retryable: false });
    expect(err.message).toMatch(/reconnect the account \(GET \/oauth\/worksection\/start\).*invalid_grant/);
    expect(fake.tokenGrants().filter((g) => g === 'refresh_token')).toHaveLength(1);
  });
});
