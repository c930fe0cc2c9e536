import { createHash } from 'node:crypto';
import { CLIENT_CACHE_MS } from '../api/auth';
import type { ApiRole } from '../api/rights';
import type { MiniCrmFake } from './fakes/minicrm-fake';
import type { UnasFake } from './fakes/unas-fake';
import { startApi, type RunningApi } from '../processes/service';
import { startHarness, type Harness } from './support/harness';
import { createAccounts, createOrderSync, orderSyncBody, startFakes, waitFor } from './support/order-sync-scenario';

interface Problem {
  title: string;
  status: number;
  detail: string;
  requiredRole?: string;
  errors?: { field: string; message: string }[];
}
interface CreatedClient {
  id: string;
  name: string;
  role: ApiRole;
  token: string;
  createdBy: string;
}
interface AuditItem {
  client: { id: string; name: string };
  method: string;
  path: string;
  status: number;
  resourceId: string | null;
}

/**
 * The three roles, through the real API on a real database and Temporal: each client its own
 * token, stored hashed, revocable alone, and named in the log of every change it makes.
 */
describe('API clients and their roles', () => {
  let h: Harness;
  let unas: UnasFake;
  let crm: MiniCrmFake;
  let ids: { unasAccountId: string; crmAccountId: string };
  let integrationId: string;
  let clients: Record<ApiRole, CreatedClient>;

  const as = (token: string) => <T = unknown>(method: string, path: string, body?: unknown) => h.request<T>(method, path, body, { authorization: `Bearer ${token}` });
  const viewer = () => as(clients.viewer.token);
  const operator = () => as(clients.operator.token);
  const admin = () => as(clients.admin.token);
  const newClient = async (name: string, role: ApiRole) => {
    const res = await h.request<CreatedClient>('POST', '/clients', { name, role });
    if (res.status !== 201) throw new Error(`client creation failed: ${res.status} ${res.text}`);
    return res;
  };
  const accountBody = () => ({ system: 'unas', name: 'Another shop', baseUrl: unas.url, credentials: { apiKey: 'unas-test-key' } });

  beforeAll(async () => {
    h = await startHarness();
    ({ unas, crm } = await startFakes());
    ids = await createAccounts(h, unas, crm);
    integrationId = await createOrderSync(h, ids);
    clients = {
      viewer: (await newClient('ci viewer', 'viewer')).body,
      operator: (await newClient('ci operator', 'operator')).body,
      admin: (await newClient('ci admin', 'admin')).body,
    };
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([unas?.close(), crm?.close()]);
  });

  it('the configured token is the first admin: it creates the clients', () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      expect(clients[role]).toMatchObject({ name: `ci ${role}`, role, createdBy: 'bootstrap admin' });
    }
  });

  it('shows a token once: GET /clients never does, and the table holds only its hash', async () => {
    const created = await newClient('shown once', 'viewer');
    expect(created.headers.get('location')).toBe(`/clients/${created.body.id}`);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body.token.length).toBeGreaterThanOrEqual(40);

    const list = await h.request<{ items: Record<string, unknown>[] }>('GET', '/clients');
    expect(list.status).toBe(200);
    expect(list.body.items.map((c) => c.name)).toEqual(expect.arrayContaining(['ci viewer', 'ci operator', 'ci admin', 'shown once']));
    for (const item of list.body.items) expect(Object.keys(item).sort()).toEqual(['createdAt', 'createdBy', 'id', 'name', 'revokedAt', 'role']);
    for (const c of [created.body, ...Object.values(clients)]) {
      expect(list.text).not.toContain(c.token);
      expect(list.text).not.toContain(createHash('sha256').update(c.token).digest('hex'));
    }

    const { rows } = await h.database.pool.query<Record<string, unknown>>('select * from api_clients');
    const stored = JSON.stringify(rows);
    for (const c of [created.body, ...Object.values(clients)]) {
      expect(stored).not.toContain(c.token);
      expect(rows.find((r) => r.id === c.id)?.token_hash).toBe(createHash('sha256').update(c.token).digest('hex'));
    }
  });

  it('a viewer reads, and gets a 403 naming the role on a pause and on POST /accounts', async () => {
    expect((await viewer()('GET', '/integrations')).status).toBe(200);
    expect((await viewer()('GET', `/integrations/${integrationId}`)).status).toBe(200);
    expect((await viewer()('GET', '/accounts')).status).toBe(200);
    expect((await viewer()('GET', '/hub')).status).toBe(200);

    const pause = await viewer()<Problem>('POST', `/integrations/${integrationId}/pause`);
    expect(pause.status).toBe(403);
    expect(pause.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(pause.body).toMatchObject({ status: 403, requiredRole: 'operator' });
    expect(pause.body.detail).toMatch(/needs the operator role.*"ci viewer" is a viewer/);

    const account = await viewer()<Problem>('POST', '/accounts', accountBody());
    expect(account.status).toBe(403);
    expect(account.body.requiredRole).toBe('admin');
    expect((await viewer()('GET', '/clients')).status).toBe(403);
    expect((await viewer()('GET', '/audit')).status).toBe(403);
    // Nothing was done: the integration still runs, no account was added.
    expect((await h.request<{ enabled: boolean }>('GET', `/integrations/${integrationId}`)).body.enabled).toBe(true);
    expect((await h.request<{ items: unknown[] }>('GET', '/accounts')).body.items).toHaveLength(2);
  });

  it('an operator pauses, resumes and creates integrations, but gets a 403 on POST /accounts and POST /clients', async () => {
    expect((await operator()('POST', `/integrations/${integrationId}/pause`)).status).toBe(202);
    expect((await h.request<{ enabled: boolean }>('GET', `/integrations/${integrationId}`)).body.enabled).toBe(false);
    expect((await operator()('POST', `/integrations/${integrationId}/resume`)).status).toBe(202);
    expect((await h.request<{ enabled: boolean }>('GET', `/integrations/${integrationId}`)).body.enabled).toBe(true);
    const created = await operator()<{ id: string }>('POST', '/integrations', { ...orderSyncBody(ids.unasAccountId, ids.crmAccountId), name: 'by the operator' });
    expect(created.status).toBe(201);

    const account = await operator()<Problem>('POST', '/accounts', accountBody());
    expect(account.status).toBe(403);
    expect(account.body).toMatchObject({ requiredRole: 'admin' });
    expect(account.body.detail).toMatch(/needs the admin role/);
    const client = await operator()<Problem>('POST', '/clients', { name: 'sneaky', role: 'admin' });
    expect(client.status).toBe(403);
    expect(client.body.requiredRole).toBe('admin');
    expect((await operator()('PATCH', `/accounts/${ids.unasAccountId}`, { name: 'Renamed' })).status).toBe(403);
    expect((await operator()('GET', '/oauth/google-sheets/start?name=x')).status).toBe(403);
    expect((await h.request<{ items: { name: string }[] }>('GET', '/clients')).body.items.map((c) => c.name)).not.toContain('sneaky');
  });

  it('an admin client can do all', async () => {
    const account = await admin()<{ id: string }>('POST', '/accounts', accountBody());
    expect(account.status).toBe(201);
    expect((await admin()('PATCH', `/accounts/${account.body.id}`, { name: 'Renamed shop' })).status).toBe(200);
    expect((await admin()('POST', `/accounts/${account.body.id}/check`)).status).toBe(200);
    expect((await admin()('PATCH', `/accounts/${account.body.id}/functionalities/orders`, { enabled: true })).status).toBe(200);
    const other = await admin()<CreatedClient>('POST', '/clients', { name: 'made by an admin client', role: 'operator' });
    expect(other.status).toBe(201);
    expect(other.body.createdBy).toBe('ci admin');
    expect((await admin()('GET', '/clients')).status).toBe(200);
    expect((await admin()('DELETE', `/clients/${other.body.id}`)).status).toBe(204);
    expect((await admin()('POST', `/integrations/${integrationId}/pause`)).status).toBe(202);
    expect((await admin()('POST', `/integrations/${integrationId}/resume`)).status).toBe(202);
    const integration = await admin()<{ id: string }>('POST', '/integrations', { ...orderSyncBody(ids.unasAccountId, ids.crmAccountId), name: 'by the admin' });
    expect(integration.status).toBe(201);
    expect((await admin()('DELETE', `/integrations/${integration.body.id}`)).status).toBe(204);
    expect((await admin()('DELETE', `/accounts/${account.body.id}`)).status).toBe(204);
    expect((await admin()('GET', '/audit')).status).toBe(200);
  });

  it('a revoked token gets a 401 at once; the others keep working', async () => {
    const { body: doomed } = await newClient('revoked soon', 'operator');
    const use = as(doomed.token);
    expect((await use('GET', '/integrations')).status).toBe(200);
    expect((await h.request('DELETE', `/clients/${doomed.id}`)).status).toBe(204);
    const after = await use<Problem>('GET', '/integrations');
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toBe('Bearer');
    expect((await use('POST', `/integrations/${integrationId}/pause`)).status).toBe(401);
    expect((await viewer()('GET', '/integrations')).status).toBe(200);

    expect((await h.request('DELETE', `/clients/${doomed.id}`)).status).toBe(404);
    const listed = (await h.request<{ items: { id: string; revokedAt: string | null }[] }>('GET', '/clients')).body.items.find((c) => c.id === doomed.id);
    expect(listed?.revokedAt).toEqual(expect.any(String));
    // A revoked name is free again.
    expect((await h.request('POST', '/clients', { name: 'revoked soon', role: 'viewer' })).status).toBe(201);
  });

  it(`another API process refuses a revoked token within ${CLIENT_CACHE_MS} ms`, async () => {
    let second: RunningApi | undefined;
    try {
      second = await startApi({ PORT: 0, API_TOKEN: h.apiToken, TEMPORAL_TASK_QUEUE: h.taskQueue }, h.runtime, h.temporal);
      const { body: doomed } = await newClient('seen by two processes', 'viewer');
      const onSecond = () => fetch(`${second!.url}/integrations`, { headers: { authorization: `Bearer ${doomed.token}` } }).then((r) => r.status);
      expect(await onSecond()).toBe(200); // now cached there
      expect((await h.request('DELETE', `/clients/${doomed.id}`)).status).toBe(204);
      const revokedAt = Date.now();
      await waitFor('the second process to refuse the token', onSecond, (s) => s === 401, CLIENT_CACHE_MS + 3_000, 100);
      expect(Date.now() - revokedAt).toBeLessThan(CLIENT_CACHE_MS + 1_000);
    } finally {
      await second?.close();
    }
  });

  it("puts the client's name and id in the log line and the audit row of every change it makes", async () => {
    expect((await operator()('POST', `/integrations/${integrationId}/run`)).status).toBe(202);
    expect((await viewer()('POST', `/integrations/${integrationId}/pause`)).status).toBe(403);

    const line = await waitFor(
      "the operator's change in the log",
      () => h.logs.map((l) => JSON.parse(l) as { audit?: { clientId: string; clientName: string; method: string; path: string; status: number; resourceId: string } }).find((l) => l.audit?.clientName === 'ci operator' && l.audit.path.endsWith('/run')),
      (l) => l !== undefined,
      5_000,
      50,
    );
    expect(line?.audit).toMatchObject({ clientId: clients.operator.id, method: 'POST', path: `/integrations/${integrationId}/run`, status: 202, resourceId: integrationId });
    // The request's own completion line names the client too, reads included.
    expect(h.logs.some((l) => l.includes('"msg":"request completed"') && l.includes('"client":{"id":') && l.includes('"name":"ci viewer"'))).toBe(true);
    // …and no line holds a token, whether as the client's or in a request's headers.
    const logs = h.logs.join('');
    for (const token of [h.apiToken, ...Object.values(clients).map((c) => c.token)]) expect(logs).not.toContain(token);

    const audit = await h.request<{ items: AuditItem[] }>('GET', '/audit?limit=1000');
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ client: { id: clients.operator.id, name: 'ci operator' }, method: 'POST', path: `/integrations/${integrationId}/run`, status: 202, resourceId: integrationId }),
        expect.objectContaining({ client: { id: clients.viewer.id, name: 'ci viewer' }, method: 'POST', path: `/integrations/${integrationId}/pause`, status: 403 }),
        expect.objectContaining({ client: { id: 'bootstrap', name: 'bootstrap admin' }, method: 'POST', path: '/clients', status: 201 }),
      ]),
    );
    // A creation's row names what was created; reads are not changes.
    const created = audit.body.items.find((i) => i.client.name === 'ci operator' && i.path === '/integrations' && i.status === 201);
    expect(created?.resourceId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(audit.body.items.some((i) => i.method === 'GET')).toBe(false);
    const mine = await h.request<{ items: AuditItem[] }>('GET', `/audit?clientId=${clients.viewer.id}`);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((i) => i.client.id === clients.viewer.id)).toBe(true);
  });

  it('answers bad client input with a 4xx naming the field', async () => {
    const bad = await h.request<Problem>('POST', '/clients', { name: '', role: 'root' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.map((e) => e.field).sort()).toEqual(['name', 'role']);
    const taken = await h.request<Problem>('POST', '/clients', { name: 'ci viewer', role: 'viewer' });
    expect(taken.status).toBe(409);
    expect(taken.body.errors?.map((e) => e.field)).toEqual(['name']);
    expect((await h.request('POST', '/clients', { name: 'Bootstrap Admin', role: 'viewer' })).status).toBe(409);
  });
});
