import type { SumitFake } from '../fakes/sumit-fake';
import type { IntegrationStatus } from '../../workflows/control';
import type { Harness } from './harness';
import { waitFor } from './order-sync-scenario';

/** New lead → customer → invoice for that customer. */
export function leadsToInvoicesConfig(triggerInput: Record<string, unknown> = {}) {
  return {
    trigger: { trigger: 'entity-created', input: { folder: 'Leads', safetyLagSeconds: 0, ...triggerInput } },
    actions: [
      { action: 'create-customer', input: { name: '{{record.properties.Name}}', emailAddress: '{{record.properties.Email}}' } },
      { action: 'create-document', input: { type: 'Invoice', customer: { id: '{{actions.0.customerId}}' }, items: [{ name: 'Setup', quantity: 1, unitPrice: 100 }] } },
    ],
  };
}

/** A SUMIT account and a leads-to-invoices scenario on it, through the API; returns the integration id as soon as it is created. */
export async function postLeadsToInvoices(h: Harness, sumit: SumitFake, triggerInput: Record<string, unknown> = {}, limits?: Record<string, number>): Promise<string> {
  const account = await h.request<{ id: string }>('POST', '/accounts', { system: 'sumit', name: 'SUMIT', baseUrl: sumit.url, credentials: { companyId: sumit.companyId, apiKey: sumit.apiKey }, limits });
  const created = await h.request<{ id: string }>('POST', '/integrations', {
    kind: 'scenario',
    name: 'Leads to invoices',
    source: { accountId: account.body.id },
    target: { accountId: account.body.id },
    config: leadsToInvoicesConfig(triggerInput),
  });
  if (created.status !== 201) throw new Error(`scenario not created: ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** Leads → customer + invoice over one SUMIT account, created through the API and run once (from now on). */
export async function createLeadsToInvoices(h: Harness, sumit: SumitFake, triggerInput: Record<string, unknown> = {}) {
  const id = await postLeadsToInvoices(h, sumit, triggerInput);
  const status = async () => (await h.request<{ status: IntegrationStatus }>('GET', `/integrations/${id}`)).body.status;
  await waitFor('the first run', status, (s) => s.runs >= 1 && s.state === 'idle');
  /** Records stopped at the invoice because its outcome is unknown. */
  const inDoubt = async () =>
    (await h.request<{ items: { record: string; step: string; inDoubt: boolean }[] }>('GET', `/integrations/${id}/deliveries?state=held`)).body.items.filter((d) => d.inDoubt && d.step === '1:create-document').map((d) => d.record);
  return { id, status, inDoubt };
}

/**
 * What a user checks after faults or a crash: one customer per lead, never two invoices, and a lead
 * without an invoice is held in doubt (visible), not silently lost.
 */
export function expectEveryLeadOnce(sumit: SumitFake, leads: { id: number; properties: Record<string, unknown> }[], inDoubt: Set<string>) {
  for (const lead of leads) {
    const customers = sumit.customers().filter((c) => c.properties.Customers_FullName === lead.properties.Name);
    expect(customers).toHaveLength(1);
    const docs = sumit.documents().filter((d) => d.customerId === customers[0]!.id);
    expect(docs.length).toBeLessThanOrEqual(1);
    if (docs.length === 0) expect(inDoubt.has(`created:${lead.id}`)).toBe(true);
  }
}
