import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { deliveryLedger } from '../../db/schema';

/** What a scenario keeps per record and action: the action's result, or why it was held. */
export interface StepDetail {
  /** What the action returned, for later actions' {{actions.N.…}} (omitted when too large). */
  output?: unknown;
  reason?: string;
  /** The action may have been carried out before a crash: running it again may do it twice. */
  inDoubt?: boolean;
  /** The trigger's record, kept with a held step so it can be run again after the cursor moved on. */
  record?: unknown;
  /** A user asked to run the held step again (POST /integrations/:id/deliveries/retry). */
  release?: boolean;
}

export interface StepRow {
  sourceKey: string;
  action: string;
  state: 'done' | 'held' | 'started';
  detail: StepDetail;
}

const MAX_OUTPUT_BYTES = 16_384;

/** One row per (record version, action) in the delivery ledger: how a repeat knows what was done. */
export class ScenarioLedger {
  constructor(
    private readonly database: Database,
    private readonly integrationId: string,
  ) {}

  async steps(sourceKeys: string[]): Promise<Map<string, StepRow>> {
    if (sourceKeys.length === 0) return new Map();
    const rows = await this.database.db
      .select({ sourceKey: deliveryLedger.sourceKey, action: deliveryLedger.action, state: deliveryLedger.state, detail: deliveryLedger.detail })
      .from(deliveryLedger)
      .where(and(eq(deliveryLedger.integrationId, this.integrationId), inArray(deliveryLedger.sourceKey, [...new Set(sourceKeys)])));
    return new Map(rows.map((r) => [stepKey(r.sourceKey, r.action), { ...r, detail: (r.detail ?? {}) }]));
  }

  /** Held steps a user released, oldest first, with the record they hold. */
  async released(limit: number): Promise<StepRow[]> {
    const rows = await this.database.db
      .select({ sourceKey: deliveryLedger.sourceKey, action: deliveryLedger.action, state: deliveryLedger.state, detail: deliveryLedger.detail })
      .from(deliveryLedger)
      .where(and(eq(deliveryLedger.integrationId, this.integrationId), eq(deliveryLedger.state, 'held'), sql`(${deliveryLedger.detail}->>'release')::boolean`))
      .orderBy(deliveryLedger.updatedAt)
      .limit(limit);
    return rows.map((r) => ({ ...r, detail: (r.detail ?? {}) }));
  }

  /** A released step the run did not reach (the scenario's actions changed since): not picked up again. */
  async settleRelease(sourceKey: string, action: string) {
    await this.database.db
      .update(deliveryLedger)
      .set({ detail: sql`${deliveryLedger.detail} || '{"release": false}'::jsonb` })
      .where(and(eq(deliveryLedger.integrationId, this.integrationId), eq(deliveryLedger.sourceKey, sourceKey), eq(deliveryLedger.action, action), eq(deliveryLedger.state, 'held')));
  }

  /** Written and committed before an action that is not safe to repeat goes out. */
  start(sourceKey: string, action: string, record: unknown) {
    return this.put(sourceKey, action, 'started', { record });
  }

  done(sourceKey: string, action: string, output: unknown) {
    const size = JSON.stringify(output ?? null).length;
    return this.put(sourceKey, action, 'done', size <= MAX_OUTPUT_BYTES ? { output: output ?? null } : { reason: `result of ${size} bytes not kept` });
  }

  hold(sourceKey: string, action: string, detail: StepDetail) {
    return this.put(sourceKey, action, 'held', { ...detail, release: false });
  }

  /** A step found `started` whose action failed before the provider could act on it: nothing to hold. */
  async forget(sourceKey: string, action: string) {
    await this.database.db
      .delete(deliveryLedger)
      .where(and(eq(deliveryLedger.integrationId, this.integrationId), eq(deliveryLedger.sourceKey, sourceKey), eq(deliveryLedger.action, action), eq(deliveryLedger.state, 'started')));
  }

  private async put(sourceKey: string, action: string, state: StepRow['state'], detail: StepDetail) {
    await this.database.db
      .insert(deliveryLedger)
      .values({ integrationId: this.integrationId, sourceKey, action, state, detail: detail as Record<string, unknown> })
      .onConflictDoUpdate({
        target: [deliveryLedger.integrationId, deliveryLedger.sourceKey, deliveryLedger.action],
        set: { state, detail: detail as Record<string, unknown>, attempts: sql`${deliveryLedger.attempts} + 1`, updatedAt: new Date() },
      });
  }
}

export const stepKey = (sourceKey: string, action: string) => `${sourceKey}\u0000${action}`;
