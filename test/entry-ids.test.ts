import { NethuntFake } from './fakes/nethunt-fake';
import { WorksectionFake } from './fakes/worksection-fake';
import { startHarness, type Harness } from './support/harness';

const LEADS = '596f644b8f6d05e16c24b810';

interface Automation {
  id: string;
  trigger: { value: string };
}
interface Integration<C> {
  id: string;
  config: C;
}

const automation = (value: string) => ({
  trigger: { folderId: LEADS, field: 'Stage', value },
  task: { projectId: '26', title: `Follow up {{Name}} (${value})` },
  onClose: { field: 'Stage', value: `${value} done` },
});

/** What the user adds without an id gets one from the API when it is saved, and keeps it. */
describe('ids of automations and scenario actions, given at save time', () => {
  let h: Harness;
  const crm = new NethuntFake();
  const ws = new WorksectionFake({ requestsPerSecond: null });
  const accounts: Record<string, string> = {};

  beforeAll(async () => {
    await Promise.all([crm.start(), ws.start()]);
    h = await startHarness({ noWorker: true });
    const add = async (system: string, baseUrl: string | undefined, credentials: Record<string, unknown>) =>
      (await h.request<{ id: string }>('POST', '/accounts', { system, name: system, ...(baseUrl && { baseUrl }), credentials })).body.id;
    accounts.nethunt = await add('nethunt', crm.baseUrl, { email: crm.email, apiKey: crm.apiKey });
    accounts.worksection = await add('worksection', ws.url, { apiKey: ws.apiKey });
    accounts.sumit = await add('sumit', undefined, { companyId: 12345678, apiKey: 'sumit-key-not-used-here' });
    accounts.sare = await add('sare', undefined, { uid: '40123', apiKey: '12345678-4321-4321-4321-123456789012' });
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([crm.close(), ws.close()]);
  });

  it('gives an automation sent without an id one, keeps it through a PATCH that keeps the automation, and gives a new one only to the new entry', async () => {
    const created = await h.request<Integration<{ automations: Automation[] }>>('POST', '/integrations', {
      kind: 'crm-automation',
      name: 'Leads to tasks',
      source: { accountId: accounts.nethunt },
      target: { accountId: accounts.worksection },
      config: { automations: [automation('Won'), { id: 'by-hand', ...automation('Lost') }] },
    });
    expect(created.status).toBe(201);
    const [won, byHand] = created.body.config.automations;
    expect(won!.id).toMatch(/^auto-[0-9a-f]{8}$/);
    expect(byHand!.id).toBe('by-hand');

    // The client sends its list back as it had it, without ids, plus a new automation.
    const patched = await h.request<Integration<{ automations: Automation[] }>>('PATCH', `/integrations/${created.body.id}`, {
      config: { automations: [automation('Won'), automation('Lost'), automation('Qualified')] },
    });
    expect(patched.status).toBe(200);
    const ids = patched.body.config.automations.map((a) => a.id);
    expect(ids.slice(0, 2)).toEqual([won!.id, 'by-hand']);
    expect(ids[2]).toMatch(/^auto-[0-9a-f]{8}$/);
    expect(new Set(ids).size).toBe(3);

    const stored = await h.request<Integration<{ automations: Automation[] }>>('GET', `/integrations/${created.body.id}`);
    expect(stored.body.config.automations.map((a) => a.id)).toEqual(ids);

    // One automation at a time: POST without an id gets one too.
    const added = await h.request<Automation>('POST', `/integrations/${created.body.id}/automations`, automation('Cold'));
    expect(added.status).toBe(201);
    expect(added.body.id).toMatch(/^auto-[0-9a-f]{8}$/);
    expect(ids).not.toContain(added.body.id);
    expect(added.headers.get('location')).toBe(`/integrations/${created.body.id}/automations/${added.body.id}`);
  });

  it('gives scenario actions ids the same way', async () => {
    const actions = [
      { action: 'create-customer', input: { name: '{{record.properties.Name}}' } },
      { action: 'add-to-email-list', input: { emailAddress: '{{record.properties.Email}}', mailingListId: 7 } },
    ];
    const created = await h.request<Integration<{ actions: { id: string; action: string }[] }>>('POST', '/integrations', {
      kind: 'scenario',
      name: 'Leads become customers',
      source: { accountId: accounts.sumit },
      target: { accountId: accounts.sumit },
      config: { trigger: { trigger: 'entity-created', input: { folder: 'Leads' } }, actions },
    });
    expect(created.status).toBe(201);
    const first = created.body.config.actions.map((a) => a.id);
    expect(first).toEqual([expect.stringMatching(/^action-[0-9a-f]{8}$/), expect.stringMatching(/^action-[0-9a-f]{8}$/)]);

    const reordered = await h.request<Integration<{ actions: { id: string; action: string }[] }>>('PATCH', `/integrations/${created.body.id}`, { config: { actions: [actions[1], actions[0]] } });
    expect(reordered.status).toBe(200);
    expect(reordered.body.config.actions.map((a) => [a.action, a.id])).toEqual([
      ['add-to-email-list', first[1]],
      ['create-customer', first[0]],
    ]);
  });
});
