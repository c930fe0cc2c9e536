import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { DeliveryReceipt } from '../../connectors/8x8/delivery-receipt';
import type { Database } from '../../db/client';
import { smsMessages, type SmsMessageRow, type SmsState } from '../../db/schema';
import type { RenderedMessage } from '../sms-send/render-rows';
import { receiptMovesFrom, SMS_MOVES, SMS_STATE_WORDS, stateOfReceipt, UNSENT_STATES, type SendAnswerState } from './sms-states';

// sms-send's ledger: one message per (integration, sheet row), moved only as sms-states.ts allows,
// by the send activity and by 8x8's receipts.

/** Postgres takes at most 65,535 parameters per statement. */
const INSERT_BATCH = 2_000;

/** Rows seen for the first time become messages; a row already known (edited, re-read) is left alone. */
export async function insertMessages(database: Database, integrationId: string, messages: RenderedMessage[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < messages.length; i += INSERT_BATCH) {
    const rows = await database.db
      .insert(smsMessages)
      .values(messages.slice(i, i + INSERT_BATCH).map((m) => ({ integrationId, ...m })))
      .onConflictDoNothing({ target: [smsMessages.integrationId, smsMessages.rowKey] })
      .returning({ id: smsMessages.id });
    inserted += rows.length;
  }
  return inserted;
}

/** The order of the sheet: rows were rendered in it, and row keys sort by length, then text. */
const SHEET_ORDER = [asc(smsMessages.createdAt), sql`length(${smsMessages.rowKey})`, asc(smsMessages.rowKey)];

/**
 * Claims the next messages to send and marks them `sending` in the same statement, before 8x8 is
 * called: pending ones, and ones left `sending` by a crash whose receipt has not come within the
 * doubt wait (never sent, or sent with the receipt lost).
 */
export async function claimForSending(database: Database, integrationId: string, limit: number, doubtWaitMs: number): Promise<SmsMessageRow[]> {
  const { claim, resend } = SMS_MOVES;
  const result = await database.db.execute<{ id: string }>(sql`
    update ${smsMessages} set state = ${claim.to}, sending_at = now(), attempts = attempts + 1, updated_at = now()
    where id in (
      select id from ${smsMessages}
      where integration_id = ${integrationId}
        and (state in ${claim.from} or (state in ${resend.from} and sending_at < now() - make_interval(secs => ${doubtWaitMs / 1000})))
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
    from ${smsMessages} where integration_id = ${integrationId} and state in ${SMS_MOVES.resend.from}`);
  const row = result.rows[0];
  return { count: Number(row?.count ?? 0), waitMs: Math.max(1_000, Number(row?.wait_ms ?? 0)) };
}

export interface SendOutcome {
  id: string;
  state: SendAnswerState;
  umid: string | null;
  reason: string | null;
}

/** 8x8's answer per message, applied to messages still `sending` (see SMS_MOVES.answer). */
export async function recordOutcomes(database: Database, outcomes: SendOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await database.db.execute(sql`
    update ${smsMessages} m set state = v.state, umid = coalesce(m.umid, v.umid), reason = v.reason, updated_at = now()
    from unnest(${sql.param(outcomes.map((o) => o.id))}::uuid[], ${sql.param(outcomes.map((o) => o.state))}::text[],
                ${sql.param(outcomes.map((o) => o.umid))}::text[], ${sql.param(outcomes.map((o) => o.reason))}::text[]) as v(id, state, umid, reason)
    where m.id = v.id and m.state in ${SMS_MOVES.answer.from}`);
}

/** 8x8 certainly did not take these (it refused the request): back to pending, no doubt. */
export async function releaseClaim(database: Database, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await database.db
    .update(smsMessages)
    .set({ state: SMS_MOVES.refused.to, updatedAt: new Date() })
    .where(and(inArray(smsMessages.id, ids), inArray(smsMessages.state, [...SMS_MOVES.refused.from])));
}

export type ReceiptAnswer = { applied: true } | { applied: false; reason?: string };

/**
 * One delivery receipt from 8x8. Receipts arrive out of order and are retried, so one moves its
 * message forward only; a receipt already applied, or for a message we don't know, changes nothing.
 */
/** Digits only: 8x8 may write a number with or without its leading +. */
const digitsOf = (phone: string) => phone.replace(/\D/g, '');

/**
 * Applies a delivery receipt to the message it names, if it matches what was sent: the same
 * sub-account, the same number, and the same 8x8 message id once we know it (a message whose send
 * answer was lost has none yet, and its receipt is how it gets one). Anything else moves nothing.
 */
export async function applyReceipt(database: Database, integrationId: string, receipt: DeliveryReceipt, sentFrom: { subAccountId: string }): Promise<ReceiptAnswer> {
  const { clientMessageId, umid, status, subAccountId, destination } = receipt.payload;
  if (!clientMessageId) return { applied: false, reason: 'no clientMessageId' };
  const state = stateOfReceipt(status.state);
  if (!state) return { applied: false, reason: `state ${status.state} is not tracked` };
  if (subAccountId !== sentFrom.subAccountId) return { applied: false, reason: 'not sent from this integration\'s sub-account' };
  // A receipt that holds the message brings 8x8's reason; any other leaves the stored reason as it is.
  const reason = SMS_STATE_WORDS[state] === 'held' ? (status.errorMessage ?? status.detail ?? null) : undefined;
  const updated = await database.db
    .update(smsMessages)
    .set({ state, umid: sql`coalesce(${smsMessages.umid}, ${umid})`, ...(reason !== undefined && { reason }), updatedAt: new Date() })
    .where(
      and(
        eq(smsMessages.integrationId, integrationId),
        eq(smsMessages.clientMessageId, clientMessageId),
        inArray(smsMessages.state, receiptMovesFrom(state)),
        sql`regexp_replace(${smsMessages.phone}, '[^0-9]', '', 'g') = ${digitsOf(destination)}`,
        or(isNull(smsMessages.umid), eq(smsMessages.umid, umid)),
      ),
    )
    .returning({ id: smsMessages.id });
  return updated.length > 0 ? { applied: true } : { applied: false };
}

/** Messages not sent yet or whose send is not settled, oldest first (what the next run starts with). */
export function unsentMessages(database: Database, integrationId: string, limit: number): Promise<SmsMessageRow[]> {
  return database.db
    .select()
    .from(smsMessages)
    .where(and(eq(smsMessages.integrationId, integrationId), inArray(smsMessages.state, UNSENT_STATES)))
    .orderBy(asc(smsMessages.createdAt))
    .limit(limit);
}

/** An integration's messages in the order of its sheet. */
export function listMessages(database: Database, integrationId: string, query: { state?: SmsState; limit: number; offset: number }): Promise<SmsMessageRow[]> {
  return database.db
    .select()
    .from(smsMessages)
    .where(and(eq(smsMessages.integrationId, integrationId), query.state ? eq(smsMessages.state, query.state) : undefined))
    .orderBy(...SHEET_ORDER)
    .limit(query.limit)
    .offset(query.offset);
}
