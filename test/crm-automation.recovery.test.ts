import { findTaskCreatedBefore } from '../activities/crm-automation/record-tasks';
import type { ConnectorContext } from '../connectors/kit/types';
import { worksection } from '../connectors/worksection';
import type { WorksectionCredentials } from '../connectors/worksection/auth';
import { WorksectionFake } from './fakes/worksection-fake';
import { connectorTestbed } from './support/connector-context';

const KEY = '7776461cd931e7b1c8e9632ff8e979ce';

/**
 * After a crash mid-creation the automation looks for the task it may have created before making
 * one. Titles come from CRM records, and names like O'Brien carry the quote that delimits
 * Worksection's filter strings: the lookup must still find the task, or it is created twice.
 */
describe('CRM automation: finding a task created before a crash', () => {
  let bed: Awaited<ReturnType<typeof connectorTestbed>>;
  let fake: WorksectionFake;
  let ctx: ConnectorContext<WorksectionCredentials>;

  beforeAll(async () => {
    bed = await connectorTestbed();
    fake = new WorksectionFake({ requestsPerSecond: null });
    await fake.start();
    ctx = bed.context(worksection, fake.url, { apiKey: KEY }, { limits: { requestsPerSecond: 1000 } });
  });
  afterAll(async () => {
    await fake?.close();
    await bed?.close();
  });

  it.each(["Follow up O'Brien (VIP)", "'Quoted' deal", 'Plain deal', "Kovács Ödön's order, Győr"])('finds "%s" by its exact name', async (title) => {
    const created = (await worksection.actions['create-task'].run(ctx, { projectId: '26', title })) as { id: string };
    await worksection.actions['create-task'].run(ctx, { projectId: '26', title: `${title} (another one)` });
    expect(await findTaskCreatedBefore(ctx, '26', title)).toBe(created.id);
  });

  it('finds nothing when no task has the name', async () => {
    expect(await findTaskCreatedBefore(ctx, '26', "Never created, O'Hara")).toBeUndefined();
  });
});
