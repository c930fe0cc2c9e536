import type { FaultConfig } from '../fakes/fake-server';
import type { Harness } from '../support/harness';
import { createAccounts, createOrderSync, exactlyOnce, ORDERS_CATEGORY, startFakes, STATUS_MAP } from '../support/order-sync-scenario';
import { createSmsAccounts, createSmsSend, customer, duplicates, HEADER, SHEET, startSmsFakes, statusOf } from '../support/sms-send-scenario';

/** What a trial runs: a long piece of work whose result the fakes can count. */
export interface Workload {
  readonly name: string;
  /** How many items must arrive, each exactly once. */
  readonly expected: number;
  /** Items arrived so far (distinct). */
  progress(): number;
  /** Provider faults on every fake the workload talks to. */
  injectFaults(faults: FaultConfig): void;
  /** Back to the fakes' calm behaviour (slow enough for crashes to land mid-request, never failing). */
  calm(): void;
  /** Lost and doubled items as the fakes count them. */
  tally(): { lost: number; duplicated: number };
  /** The integration's own view: idle with no error once the work is done. */
  settled(): Promise<boolean>;
  /** The integration's status as the API gives it, for a trial that runs out of time to say why. */
  status(): Promise<unknown>;
  close(): Promise<void>;
}

/** Fakes slow enough that a crash lands while a request is in flight. */
const IN_FLIGHT: FaultConfig = { failRate: 0, delayMs: 100 };

/** The status, and what the workflow is waiting on: its pending activities with their attempt and last failure. */
async function statusAndPending(h: Harness, id: string) {
  const description = await h.temporal.workflow.getHandle(`integration-${id}`).describe();
  const pending = (description.raw.pendingActivities ?? []).map((a) => ({
    activity: a.activityType?.name,
    state: a.state,
    attempt: a.attempt,
    lastFailure: a.lastFailure?.message?.slice(0, 300),
    lastHeartbeat: a.lastHeartbeatTime?.seconds?.toString(),
  }));
  return { status: await statusOf(h, id), pending };
}

async function removeIntegration(h: Harness, id: string) {
  // Stops its workflow before the fakes go away, so it does not poll closed ports for the rest of the suite.
  await h.request('DELETE', `/integrations/${id}`, { confirm: true }).catch(() => undefined);
}

export async function orderSyncWorkload(h: Harness, orders: number): Promise<Workload> {
  const { unas, crm } = await startFakes({ orderQueriesPerHour: null, seed: orders }, { syncUploadsPerHour: null });
  // Changed a minute ago: the first run reads every order (UNAS is read up to the last whole second).
  unas.addOrders(orders, { modifiedAt: Date.now() - 60_000 });
  const calm = () => {
    crm.faults = { ...IN_FLIGHT };
    unas.faults = { failRate: 0 };
  };
  calm();
  const ids = await createAccounts(h, unas, crm, { unas: { orderQueriesPerHour: 100_000 }, crm: { syncUploadsPerHour: 100_000 } });
  const id = await createOrderSync(h, ids);
  const expected = unas.orders.filter((o) => o.status in STATUS_MAP).length;
  return {
    name: `order sync, ${orders.toLocaleString('en')} orders`,
    expected,
    progress: () => new Set(crm.projects(ORDERS_CATEGORY).map((c) => c.ExternalId)).size,
    injectFaults(faults) {
      crm.faults = { ...faults, delayMs: Math.max(faults.delayMs ?? 0, IN_FLIGHT.delayMs ?? 0) };
      unas.faults = faults;
    },
    calm,
    tally() {
      const check = exactlyOnce(unas, crm);
      return { lost: check.missing.length, duplicated: check.duplicated.length + check.extra.length };
    },
    async settled() {
      const s = await statusOf(h, id);
      return s.state === 'idle' && s.runs >= 1;
    },
    status: () => statusAndPending(h, id),
    async close() {
      await removeIntegration(h, id);
      await Promise.all([unas.close(), crm.close()]);
    },
  };
}

export async function smsSendWorkload(h: Harness, rows: number): Promise<Workload> {
  const { sheets, sms } = await startSmsFakes({}, { requestsPerSecond: null });
  const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER, ...Array.from({ length: rows }, (_, i) => customer(i + 1))] } });
  const calm = () => {
    sms.faults = { failRate: 0, delayMs: 300 };
    sheets.faults = { failRate: 0 };
  };
  calm();
  const ids = await createSmsAccounts(h, sheets, sms);
  const id = await createSmsSend(h, ids, spreadsheetId, { backfill: true });
  return {
    name: `SMS send, ${rows.toLocaleString('en')} rows`,
    expected: rows,
    progress: () => duplicates(sms).distinct,
    injectFaults(faults) {
      sms.faults = { ...faults, delayMs: Math.max(faults.delayMs ?? 0, 300) };
      sheets.faults = faults;
    },
    calm,
    tally() {
      const check = duplicates(sms);
      return { lost: rows - check.distinct, duplicated: check.twice.length };
    },
    async settled() {
      const s = await statusOf(h, id);
      return s.state === 'idle' && s.runs >= 1;
    },
    status: () => statusAndPending(h, id),
    async close() {
      await removeIntegration(h, id);
      await Promise.all([sheets.close(), sms.close()]);
    },
  };
}
