import { z } from 'zod';
import { parseInput } from '../kit/define-action';
import { transientError, validationError } from '../kit/errors';
import type { ConnectorContext } from '../kit/types';
import type { Sms8x8Credentials } from './auth';
import { call8x8 } from './client';
import { contentHash, recall, remember, type SentOutcome } from './sent-cache';

type Ctx = ConnectorContext<Sms8x8Credentials>;

const isoWithOffset = z.iso.datetime({ offset: true });

/** Options that apply to a message as a whole; in a batch they can be given once for all. */
const deliveryOptions = {
  source: z.string().min(1).max(16).optional().describe('Sender id: up to 11 letters/digits/spaces, or a number of up to 17 digits with +; 8x8 may replace it where a country requires'),
  encoding: z.enum(['AUTO', 'GSM7', 'UCS2']).optional().describe('AUTO (default) picks UCS2 when the text needs it'),
  scheduled: isoWithOffset.optional().describe('Send at this time (ISO 8601 with offset, up to 7 days ahead)'),
  expiry: isoWithOffset.optional().describe('Drop the message if it cannot be sent by then (ISO 8601 with offset)'),
  dlrCallbackUrl: z.url().optional().describe('Delivery receipts for this message go here instead of the account webhook'),
};

const messageFields = {
  destination: z.string().min(3).max(20).describe('Phone number in international format (+36701234567 or 36701234567); national format needs country'),
  text: z.string().min(1).describe('Message text; GSM7 160 chars (153 per part) or UCS2 70 (67 per part), 10 parts at most, longer is cut'),
  clientMessageId: z.string().min(1).max(50).optional().describe('Idempotency key and own reference, echoed in delivery receipts; a repeat of a key already sent is not sent again'),
  country: z.string().length(2).optional().describe('ISO 3166-1 alpha-2 country of a national-format destination'),
};

export const sendSmsInput = z.object({ ...messageFields, ...deliveryOptions });
export type SendSmsInput = z.input<typeof sendSmsInput>;

export const MAX_BATCH = 10_000;

export const sendBatchInput = z.object({
  messages: z.array(z.object({ ...messageFields, ...deliveryOptions })).min(1).max(MAX_BATCH).describe('Up to 10,000 personalised messages'),
  defaults: z.object(deliveryOptions).optional().describe('Options for every message that does not set its own'),
  clientBatchId: z.string().min(1).max(50).optional().describe('Own reference for the batch, echoed in delivery receipts'),
});
export type SendBatchInput = z.input<typeof sendBatchInput>;

const status = z.object({ code: z.string(), description: z.string().optional() });
const smsResponse = z.object({
  umid: z.string().optional(),
  clientMessageId: z.string().nullish(),
  destination: z.string().optional(),
  encoding: z.string().optional(),
  status,
});
const batchResponse = z.object({
  batchId: z.string(),
  clientBatchId: z.string().nullish(),
  acceptedCount: z.number().int(),
  rejectedCount: z.number().int(),
  messages: z.array(smsResponse).nullish(),
});

export interface MessageResult extends SentOutcome {
  clientMessageId?: string;
  /** QUEUED: taken by 8x8; REJECTED: refused (status.description says why), not sent. */
  accepted: boolean;
  /** Sent by an earlier attempt with the same clientMessageId; 8x8 was not called again for it. */
  duplicate: boolean;
}

export interface BatchResult {
  batchId?: string;
  clientBatchId?: string;
  acceptedCount: number;
  rejectedCount: number;
  duplicateCount: number;
  /** One per input message, in input order. */
  messages: MessageResult[];
}

type Wire = z.infer<typeof sendSmsInput>;

function alreadySent(ctx: Ctx, m: Wire): MessageResult | undefined {
  if (m.clientMessageId === undefined) return undefined;
  const hit = recall(ctx.accountId, ctx.credentials.subAccountId, m.clientMessageId);
  if (!hit) return undefined;
  if (hit.contentHash !== contentHash(m.destination, m.text)) {
    throw validationError('8x8', `clientMessageId ${m.clientMessageId} was already used for a different destination or text`);
  }
  return { ...hit.outcome, clientMessageId: m.clientMessageId, accepted: true, duplicate: true };
}

function outcomeOf(r: z.infer<typeof smsResponse>, fallbackDestination: string, batchId?: string): SentOutcome {
  return { umid: r.umid, destination: r.destination ?? fallbackDestination, encoding: r.encoding, status: r.status, batchId };
}

/** Sends one SMS. A REJECTED answer comes with HTTP 200 and is turned into an error here. */
export async function sendSms(ctx: Ctx, raw: SendSmsInput): Promise<MessageResult> {
  const m = parseInput('8x8', sendSmsInput, raw, 'input for Send SMS');
  const earlier = alreadySent(ctx, m);
  if (earlier) return earlier;
  const body = await call8x8(ctx, 'POST', '/messages', 'send SMS', m);
  const parsed = smsResponse.safeParse(body);
  if (!parsed.success) throw transientError('8x8', '8x8 send SMS: unexpected answer; the message may have been accepted');
  const r = parsed.data;
  if (r.status.code === 'REJECTED') {
    const why = ctx.http.scrub(`8x8 rejected the SMS to ${m.destination}: ${r.status.description ?? 'no reason given'}`);
    // "Internal server error" is 8x8's fault and worth a retry; every other reason is the message's.
    throw /internal server error/i.test(r.status.description ?? '') ? transientError('8x8', why, 200) : validationError('8x8', why, 200);
  }
  const outcome = outcomeOf(r, m.destination);
  if (m.clientMessageId !== undefined) remember(ctx.accountId, ctx.credentials.subAccountId, m.clientMessageId, contentHash(m.destination, m.text), outcome);
  return { ...outcome, clientMessageId: m.clientMessageId, accepted: true, duplicate: false };
}

/**
 * Sends up to 10,000 SMS in one request. Messages already sent under their clientMessageId are
 * left out and reported as duplicates; each of the others is reported as 8x8 answered it, so a
 * REJECTED message (bad number, empty text) is a result, not an error that would fail and retry
 * the whole batch (and send the accepted ones twice).
 */
export async function sendBatch(ctx: Ctx, raw: SendBatchInput): Promise<BatchResult> {
  const input = parseInput('8x8', sendBatchInput, raw, 'input for Send SMS batch');
  const ids = new Set<string>();
  for (const m of input.messages) {
    if (m.clientMessageId === undefined) continue;
    if (ids.has(m.clientMessageId)) throw validationError('8x8', `clientMessageId ${m.clientMessageId} appears twice in the batch`);
    ids.add(m.clientMessageId);
  }
  const messages: Wire[] = input.messages.map((m) => ({ ...input.defaults, ...m }));
  const results: (MessageResult | undefined)[] = messages.map((m) => alreadySent(ctx, m));
  const pending = messages.flatMap((m, i) => (results[i] ? [] : [{ m, i }]));
  const duplicateCount = messages.length - pending.length;
  if (pending.length === 0) {
    return { clientBatchId: input.clientBatchId, acceptedCount: 0, rejectedCount: 0, duplicateCount, messages: results.filter((r) => r !== undefined) };
  }

  const request = { messages: pending.map(({ m }) => m), clientBatchId: input.clientBatchId, includeMessagesInResponse: true };
  // 10,000 messages take 8x8 a while to validate and queue.
  const body = await call8x8(ctx, 'POST', '/messages/batch', `send batch of ${pending.length}`, request, 120_000);
  const parsed = batchResponse.safeParse(body);
  if (!parsed.success) throw transientError('8x8', '8x8 send batch: unexpected answer; the messages may have been accepted');
  const answer = parsed.data;
  const answered = answer.messages ?? [];
  const byId = new Map(answered.flatMap((r) => (r.clientMessageId ? [[r.clientMessageId, r] as const] : [])));
  pending.forEach(({ m, i }, k) => {
    // Matched by clientMessageId where there is one, else by position (8x8 answers in request order).
    const r = (m.clientMessageId !== undefined ? byId.get(m.clientMessageId) : undefined) ?? (answered.length === pending.length ? answered[k] : undefined);
    // The batch was taken even if this message's result is missing: it must not be sent again.
    const outcome = r ? outcomeOf(r, m.destination, answer.batchId) : { destination: m.destination, status: { code: 'UNKNOWN', description: '8x8 took the batch but gave no result for this message' }, batchId: answer.batchId };
    const accepted = outcome.status.code !== 'REJECTED';
    if (accepted && m.clientMessageId !== undefined) remember(ctx.accountId, ctx.credentials.subAccountId, m.clientMessageId, contentHash(m.destination, m.text), outcome);
    results[i] = { ...outcome, clientMessageId: m.clientMessageId, accepted, duplicate: false };
  });
  return {
    batchId: answer.batchId,
    clientBatchId: answer.clientBatchId ?? input.clientBatchId,
    acceptedCount: answer.acceptedCount,
    rejectedCount: answer.rejectedCount,
    duplicateCount,
    messages: results.filter((r) => r !== undefined),
  };
}
