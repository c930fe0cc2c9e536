import { z } from 'zod';
import type { Database } from '../../db/client';
import { DeliveryLedger, ledgerDetail, type LedgerRow, type LedgerState } from '../../kinds/ledger/delivery-ledger';

/** What a scenario keeps per record and action beside the ledger's own fields. */
export const stepDetail = ledgerDetail.extend({
  /** What the action returned, for later actions' {{actions.N.…}} (omitted when too large). */
  output: z.unknown().optional(),
  /** The trigger's record, kept with a held or under-way step so it can be run again after the cursor moved on. */
  record: z.unknown().optional(),
});
export type StepDetail = z.infer<typeof stepDetail>;

export interface StepRow {
  sourceKey: string;
  action: string;
  state: LedgerState;
  detail: StepDetail;
}

const MAX_OUTPUT_BYTES = 16_384;

const toStep = (row: LedgerRow): StepRow => ({ sourceKey: row.sourceKey, action: row.action, state: row.state, detail: stepDetail.parse(row.detail) });

/** A scenario's steps in the delivery ledger: one row per (record version, action). */
export class ScenarioLedger {
  private readonly ledger: DeliveryLedger;

  constructor(database: Database, integrationId: string) {
    this.ledger = new DeliveryLedger(database, integrationId);
  }

  async steps(sourceKeys: string[]): Promise<Map<string, StepRow>> {
    const rows = await this.ledger.read(sourceKeys);
    return new Map(rows.map((r) => [stepKey(r.sourceKey, r.action), toStep(r)]));
  }

  /** Held steps a user released, oldest first, with the record they hold. */
  async released(limit: number): Promise<StepRow[]> {
    return (await this.ledger.released(limit)).map(toStep);
  }

  settleRelease(sourceKey: string, action: string) {
    return this.ledger.settleRelease(sourceKey, action);
  }

  /** Before an action that is not safe to repeat goes out. */
  markUnderWay(sourceKey: string, action: string, record: unknown) {
    return this.ledger.markUnderWay([{ sourceKey, action, detail: { record } }]);
  }

  done(sourceKey: string, action: string, output: unknown) {
    const size = JSON.stringify(output ?? null).length;
    return this.ledger.markDone([{ sourceKey, action, detail: size <= MAX_OUTPUT_BYTES ? { output: output ?? null } : { reason: `result of ${size} bytes not kept` } }]);
  }

  hold(sourceKey: string, action: string, reason: string, record: unknown) {
    return this.ledger.hold([{ sourceKey, action, detail: { record }, reason }]);
  }

  holdInDoubt(sourceKey: string, action: string, reason: string, record: unknown) {
    return this.ledger.holdInDoubt({ sourceKey, action, detail: { record } }, reason);
  }

  /** A step under way whose action failed before the provider could act on it: nothing to hold. */
  forget(sourceKey: string, action: string) {
    return this.ledger.forgetUnderWay(sourceKey, action);
  }
}

export const stepKey = (sourceKey: string, action: string) => `${sourceKey}\u0000${action}`;
