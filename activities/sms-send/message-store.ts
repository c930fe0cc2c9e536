import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { smsMessages, type SmsMessageRow } from '../../db/schema';
import type { RenderedMessage } from '../../kinds/sms-send/render-rows';

/** Rows seen for the first time become messages; a row already known (edited, re-read) is left alone. */
export async function insertMessages(database: Database, integrationId: string, messages: RenderedMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  let inserted = 0;
  // Postgres takes at most 65,535 parameters per statement.
  for (let i = 0; i < messages.length; i += 2_000) {
    const rows = await database.db
      .insert(smsMessages)
      .values(messages.slice(i, i + 2_000).map((m) => ({ integrationId, ...m })))
      .onConflictDoNothing({ target: [smsMessages.integrationId, smsMessages.rowKey] })
      .returning({ id: smsMessages.id });
    inserted += rows.length;
  }
  return inserted;
}

/**
 * Claims the next messages to send and marks them `sending` in the same statement, before 8x8 is
 * called: pending ones, and ones left `sending` by a crash whose receipt has not come within the
 * doubt wait (never sent, or sent with the receipt lost: the one case that can text twice).
 */
export async function claimForSending(database: Database, integrationId: string, limit: number, doubtWaitMs: number): Promise<SmsMessageRow[]> {
  const result = await database.db.execute<{ id: string }>(sql`
    update ${smsMessages} set state = 'sending', sending_at = now(), attempts = attempts + 1, updated_at = now()
    where id in (
      select id from ${smsMessages}
      where integration_id = ${integrationId}
        and (state = 'pending' or (state = 'sending' and sending_at < now() - make_interval(secs => ${doubtWaitMs / 1000})))
      order by created_at, length(row_key), row_key
      limit ${limit}
      for update skip locked)
    returning id`);
  const ids = result.rows.map((r) => r.id);
  if (ids.length === 0) return [];
  return database.db.select().from(smsMessages).where(inArray(smsMessages.id, ids));
}

/** Messages in doubt: `sending` since less than the doubt wait. Returns how many and when the first one's wait ends. */
export async function inDoubt(database: Database, integrationId: string, doubtWaitMs: number): Promise<{ count: number; waitMs: number }> {
  const result = await database.db.execute<{ count: string; wait_ms: string | null }>(sql`
    select count(*)::text as count,
           (extract(epoch from (min(sending_at) + make_interval(secs => ${doubtWaitMs / 1000}) - now())) * 1000)::bigint::text as wait_ms
    from ${smsMessages} where integration_id = ${integrationId} and state = 'sending'`);
  const row = result.rows[0];
  return { count: Number(row?.count ?? 0), waitMs: Math.max(1_000, Number(row?.wait_ms ?? 0)) };
}

export interface SendOutcome {
  id: string;
  state: 'queued' | 'rejected';
  umid: string | null;
  reason: string | null;
}

/**
 * 8x8's answer per message. Only a message still `sending` is updated: a receipt that overtook
 * the answer (delivered before we wrote queued) is not turned back.
 */
export async function recordOutcomes(database: Database, outcomes: SendOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await database.db.execute(sql`
    update ${smsMessages} m set state = v.state, umid = coalesce(m.umid, v.umid), reason = v.reason, updated_at = now()
    from unnest(${sql.param(outcomes.map((o) => o.id))}::uuid[], ${sql.param(outcomes.map((o) => o.state))}::text[],
                ${sql.param(outcomes.map((o) => o.umid))}::text[], ${sql.param(outcomes.map((o) => o.reason))}::text[]) as v(id, state, umid, reason)
    where m.id = v.id and m.state = 'sending'`);
}

/** 8x8 certainly did not take these (it refused the request): back to pending, no doubt. */
export async function releaseClaim(database: Database, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await database.db
    .update(smsMessages)
    .set({ state: 'pending', updatedAt: new Date() })
    .where(and(inArray(smsMessages.id, ids), eq(smsMessages.state, 'sending')));
}
