import { SumitFake } from './fakes/sumit-fake';
import { startHarness, type Harness } from './support/harness';
import { leadsToInvoicesConfig } from './support/sumit-leads';

interface Sample {
  trigger: string;
  records: { id: string; data: { properties: Record<string, unknown> } }[];
  fields: { placeholder: string; example: unknown }[];
}
interface Problem {
  errors: { field: string; message: string }[];
}

/** A sample of a trigger's records, so a person can map real fields into the actions. */
describe('scenario: a sample record from the trigger', () => {
  let h: Harness;
  const sumit = new SumitFake();
  let accountId: string;
  let integrationId: string;

  beforeAll(async () => {
    await sumit.start();
    h = await startHarness({ noWorker: true });
    const now = Date.now();
    sumit.addEntity('Leads', { Name: 'Oldest Ltd', Email: 'old@example.com' }, now - 3 * 86_400_000);
    sumit.addEntity('Leads', { Name: 'Middle Ltd', Email: 'mid@example.com' }, now - 2 * 86_400_000);
    sumit.addEntity('Leads', { Name: 'Newest Ltd', Email: 'new@example.com', Phone: '+972501234567' }, now - 86_400_000);
    const account = await h.request<{ id: string }>('POST', '/accounts', { system: 'sumit', name: 'SUMIT', baseUrl: sumit.url, credentials: { companyId: sumit.companyId, apiKey: sumit.apiKey } });
    accountId = account.body.id;
    const created = await h.request<{ id: string }>('POST', '/integrations', { kind: 'scenario', name: 'Leads', source: { accountId }, target: { accountId }, config: leadsToInvoicesConfig() });
    expect(created.status).toBe(201);
    integrationId = created.body.id;
  });
  afterAll(async () => {
    await h?.close();
    await sumit.close();
  });

  it("returns the trigger's latest record with its fields as placeholders, though the trigger itself starts from now", async () => {
    const res = await h.request<Sample>('POST', `/integrations/${integrationId}/sample`, { limit: 1 });
    expect(res.status).toBe(200);
    expect(res.body.records).toHaveLength(1);
    expect(res.body.records[0]!.data.properties).toMatchObject({ Name: 'Newest Ltd', Email: 'new@example.com' });
    expect(res.body.fields).toEqual(
      expect.arrayContaining([
        { placeholder: '{{record.properties.Name}}', example: 'Newest Ltd' },
        { placeholder: '{{record.properties.Phone}}', example: '+972501234567' },
      ]),
    );
  });

  it('samples a draft before it is saved, newest first, from the account, trigger and input', async () => {
    const res = await h.request<Sample>('POST', '/scenarios/sample', { accountId, trigger: 'entity-created', input: { folder: 'Leads' } });
    expect(res.status).toBe(200);
    expect(res.body.records.map((r) => r.data.properties.Name)).toEqual(['Newest Ltd', 'Middle Ltd', 'Oldest Ltd']);
  });

  it('names the field of a draft that cannot be sampled', async () => {
    const noTrigger = await h.request<Problem>('POST', '/scenarios/sample', { accountId, trigger: 'new-rows' });
    expect(noTrigger.status).toBe(422);
    expect(noTrigger.body.errors[0]).toMatchObject({ field: 'trigger', message: expect.stringMatching(/no trigger "new-rows".*"entity-created"/) });
    const noFolder = await h.request<Problem>('POST', '/scenarios/sample', { accountId, trigger: 'entity-created', input: {} });
    expect(noFolder.status).toBe(422);
    expect(noFolder.body.errors[0]!.field).toBe('input.folder');
    const tooMany = await h.request<Problem>('POST', `/integrations/${integrationId}/sample`, { limit: 50 });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors[0]!.field).toBe('limit');
  });
});
