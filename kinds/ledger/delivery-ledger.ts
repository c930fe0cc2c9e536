import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { deliveryLedger, LEDGER_STATES } from '../../db/schema';
import type { LedgerWord } from './vocabulary';

/**
 * A stored state. 'started' is the word for under way before migration 0004: an older client may
 * still ask for it, and a worker from before the upgrade may still write it while both run.
 */
export const ledgerState = z.enum([...LEDGER_STATES, 'started']).transform((s) => (s === 'started' ? 'under-way' : s));
export type LedgerState = z.output<typeof ledgerState>;

/** What the ledger itself keeps in a row's detail, beside each kind's own fields. */
export const ledgerDetail = z.looseObject({
  /** Why the row is held (or a note on a done one, e.g. a result too large to keep). */
  reason: z.string().optional(),
  /** Held because the action may have been carried out before a crash: a repeat may do it twice. */
  inDoubt: z.boolean().optional(),
  /** A user asked to run the held row again (POST /integrations/:id/deliveries/retry). */
  release: z.boolean().optional(),
});
export type LedgerDetail = z.infer<typeof ledgerDetail>;

export interface LedgerRow {
  sourceKey: string;
  action: string;
  state: LedgerState;
  targetId: string | null;
  fingerprint: string | null;
  detail: LedgerDetail;
  attempts: number;
  updatedAt: Date;
}

export function toLedgerRow(row: typeof deliveryLedger.$inferSelect): LedgerRow {
  const { integrationId: _, ...rest } = row;
  return { ...rest, state: ledgerState.parse(row.state), detail: ledgerDetail.parse(row.detail ?? {}) };
}

/** A row in the vocabulary's words: in doubt is stored as held, flagged. */
export const wordOf = (row: Pick<LedgerRow, 'state' | 'detail'>): LedgerWord => (row.state === 'held' && row.detail.inDoubt === true ? 'in-doubt' : row.state);

export interface LedgerEntry {
  sourceKey: string;
  action: string;
  /** The kind's own fields; the ledger adds the reason and the doubt of a held row. Replaces what was there. */
  detail?: Record<string, unknown>;
  /** The record in the target. A value replaces the stored one, null clears it, undefined keeps it. */
  targetId?: string | null;
  /** What was last written, so an unchanged record is not written again. Undefined keeps the stored one. */
  fingerprint?: string;
}

/** What releasing held rows came to: released, or refused because a record holds nothing or a row is in doubt. */
export type ReleaseAnswer = { outcome: 'released'; released: number } | { outcome: 'missing'; missing: string[] } | { outcome: 'in-doubt'; inDoubt: LedgerRow[] };

const sameRow = (integrationId: string, sourceKey: string, action: string) =>
  and(eq(deliveryLedger.integrationId, integrationId), eq(deliveryLedger.sourceKey, sourceKey), eq(deliveryLedger.action, action));

/**
 * The delivery ledger of one integration: one row per (source record, action), in the vocabulary's
 * words. Every kind reads and writes it through here.
 */
export class DeliveryLedger {
  constructor(
    private readonly database: Database,
    readonly integrationId: string,
  ) {}

  /** The rows of these source records (of one action, if given). */
  async read(sourceKeys: string[], action?: string): Promise<LedgerRow[]> {
    if (sourceKeys.length === 0) return [];
    const rows = await this.database.db
      .select()
      .from(deliveryLedger)
      .where(and(eq(deliveryLedger.integrationId, this.integrationId), action === undefined ? undefined : eq(deliveryLedger.action, action), inArray(deliveryLedger.sourceKey, [...new Set(sourceKeys)])));
    return rows.map(toLedgerRow);
  }

  /** The rows of one action that point at these records in the target. */
  async byTargetIds(action: string, targetIds: string[]): Promise<LedgerRow[]> {
    if (targetIds.length === 0) return [];
    const rows = await this.database.db
      .select()
      .from(deliveryLedger)
      .where(and(eq(deliveryLedger.integrationId, this.integrationId), eq(deliveryLedger.action, action), inArray(deliveryLedger.targetId, [...new Set(targetIds)])));
    return rows.map(toLedgerRow);
  }

  /** Held rows of one action whose detail has these values. */
  async heldMatching(action: string, fields: Record<string, string>): Promise<LedgerRow[]> {
    const rows = await this.database.db
      .select()
      .from(deliveryLedger)
      .where(and(eq(deliveryLedger.integrationId, this.integrationId), eq(deliveryLedger.action, action), eq(deliveryLedger.state, 'held'), sql`${deliveryLedger.detail} @> ${JSON.stringify(fields)}::jsonb`));
    return rows.map(toLedgerRow);
  }

  /** Held rows of one action, counted by one field of their detail (e.g. order-sync's UNAS status). */
  async heldCountBy(action: string, field: string): Promise<Record<string, number>> {
    const rows = await this.database.db
      .select({ value: sql<string>`${deliveryLedger.detail}->>${field}`, n: sql<number>`count(*)::int` })
      .from(deliveryLedger)
      .where(and(eq(deliveryLedger.integrationId, this.integrationId), eq(deliveryLedger.action, action), eq(deliveryLedger.state, 'held')))
      .groupBy(sql`1`);
    return Object.fromEntries(rows.map((r) => [r.value, r.n]));
  }

  /** Held rows a user released, oldest first. */
  async released(limit: number): Promise<LedgerRow[]> {
    const rows = await this.database.db
      .select()
      .from(deliveryLedger)
      .where(and(eq(deliveryLedger.integrationId, this.integrationId), eq(deliveryLedger.state, 'held'), sql`(${deliveryLedger.detail}->>'release')::boolean`))
      .orderBy(deliveryLedger.updatedAt)
      .limit(limit);
    return rows.map(toLedgerRow);
  }

  /** Every row, oldest change first (the deliveries page of the API). */
  async list(query: { state?: LedgerState; record?: string; limit: number; offset: number }): Promise<LedgerRow[]> {
    const rows = await this.database.db
      .select()
      .from(deliveryLedger)
      .where(
        and(
          eq(deliveryLedger.integrationId, this.integrationId),
          query.state ? eq(deliveryLedger.state, query.state) : undefined,
          query.record === undefined ? undefined : eq(deliveryLedger.sourceKey, query.record),
        ),
      )
      .orderBy(asc(deliveryLedger.updatedAt), asc(deliveryLedger.sourceKey), asc(deliveryLedger.action))
      .limit(query.limit)
      .offset(query.offset);
    return rows.map(toLedgerRow);
  }

  /**
   * Releases held rows for the next run to take up again: all of them, or those of `records`.
   * A row in doubt may have been carried out already, so it is released only with `confirm`:
   * running it again may do it twice.
   */
  async releaseHeld(request: { records?: string[]; confirm?: boolean }): Promise<ReleaseAnswer> {
    const held = await this.database.db
      .select()
      .from(deliveryLedger)
      .where(and(eq(deliveryLedger.integrationId, this.integrationId), eq(deliveryLedger.state, 'held'), request.records ? inArray(deliveryLedger.sourceKey, request.records) : undefined));
    const rows = held.map(toLedgerRow);
    if (request.records) {
      const found = new Set(rows.map((r) => r.sourceKey));
      const missing = request.records.filter((k) => !found.has(k));
      if (missing.length > 0) return { outcome: 'missing', missing };
    }
    const inDoubt = rows.filter((r) => wordOf(r) === 'in-doubt');
    if (inDoubt.length > 0 && request.confirm !== true) return { outcome: 'in-doubt', inDoubt };
    if (rows.length > 0) {
      await this.database.db
        .update(deliveryLedger)
        .set({ detail: sql`${deliveryLedger.detail} || '{"release": true}'::jsonb`, updatedAt: new Date() })
        .where(and(eq(deliveryLedger.integrationId, this.integrationId), eq(deliveryLedger.state, 'held'), inArray(deliveryLedger.sourceKey, rows.map((r) => r.sourceKey))));
    }
    return { outcome: 'released', released: rows.length };
  }

  /** A released row the run did not reach (the kind's actions changed since): not picked up again. */
  async settleRelease(sourceKey: string, action: string): Promise<void> {
    await this.database.db
      .update(deliveryLedger)
      .set({ detail: sql`${deliveryLedger.detail} || '{"release": false}'::jsonb` })
      .where(and(sameRow(this.integrationId, sourceKey, action), eq(deliveryLedger.state, 'held')));
  }

  /** Written and committed before an action that is not safe to repeat goes out. */
  markUnderWay(entries: LedgerEntry[]): Promise<void> {
    return this.write('under-way', entries);
  }

  markDone(entries: LedgerEntry[]): Promise<void> {
    return this.write('done', entries);
  }

  hold(entries: (LedgerEntry & { reason: string })[]): Promise<void> {
    return this.write('held', entries.map(({ reason, ...e }) => ({ ...e, detail: { ...e.detail, reason } })));
  }

  /** Held because it may have been carried out: only a person who checked the target runs it again. */
  holdInDoubt(entry: LedgerEntry, reason: string): Promise<void> {
    return this.write('held', [{ ...entry, detail: { ...entry.detail, reason, inDoubt: true } }]);
  }

  /** A row under way whose call failed before the provider could act on it: nothing happened, nothing to keep. */
  async forgetUnderWay(sourceKey: string, action: string): Promise<void> {
    await this.database.db.delete(deliveryLedger).where(and(sameRow(this.integrationId, sourceKey, action), eq(deliveryLedger.state, 'under-way')));
  }

  private async write(state: LedgerState, entries: LedgerEntry[]): Promise<void> {
    // One statement per shape: a field left undefined keeps its stored value, so it is left out of the update.
    const shapes = new Map<string, LedgerEntry[]>();
    for (const e of entries) {
      const shape = `${e.targetId !== undefined}:${e.fingerprint !== undefined}`;
      shapes.set(shape, [...(shapes.get(shape) ?? []), e]);
    }
    for (const group of shapes.values()) {
      const keepsTarget = group[0]?.targetId === undefined;
      const keepsFingerprint = group[0]?.fingerprint === undefined;
      await this.database.db
        .insert(deliveryLedger)
        .values(group.map((e) => ({ integrationId: this.integrationId, sourceKey: e.sourceKey, action: e.action, state, targetId: e.targetId ?? null, fingerprint: e.fingerprint ?? null, detail: e.detail ?? {} })))
        .onConflictDoUpdate({
          target: [deliveryLedger.integrationId, deliveryLedger.sourceKey, deliveryLedger.action],
          set: {
            state,
            detail: sql`excluded.detail`,
            ...(!keepsTarget && { targetId: sql`excluded.target_id` }),
            ...(!keepsFingerprint && { fingerprint: sql`excluded.fingerprint` }),
            attempts: sql`${deliveryLedger.attempts} + 1`,
            updatedAt: new Date(),
          },
        });
    }
  }
}
