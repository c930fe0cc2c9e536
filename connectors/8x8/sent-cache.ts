import { createHash } from 'node:crypto';

/**
 * What this worker process already sent, by account and clientMessageId.
 *
 * 8x8 does not deduplicate: clientMessageId is only echoed back (in the response and the delivery
 * receipts), and two requests with the same id are two SMS. So the guard against a retried
 * activity sending twice has to be ours. This cache catches the common case, a retry in the same
 * worker after 8x8 accepted the message but the activity failed later (heartbeat timeout, ledger
 * write). It cannot see another worker's sends or a send whose answer was lost in transit: those
 * need the delivery ledger row written before the send (see the report). Entries live 48 hours,
 * as long as 8x8 tracks a message.
 */
export interface SentOutcome {
  umid?: string;
  destination: string;
  encoding?: string;
  status: { code: string; description?: string };
  batchId?: string;
}

interface Entry {
  contentHash: string;
  outcome: SentOutcome;
  at: number;
}

const TTL_MS = 48 * 60 * 60 * 1000;
const MAX_ENTRIES = 200_000;

const sent = new Map<string, Entry>();

const keyOf = (accountId: string, subAccountId: string, clientMessageId: string) => `${accountId}\u0000${subAccountId}\u0000${clientMessageId}`;

export function contentHash(destination: string, text: string): string {
  return createHash('sha256').update(`${destination}\u0000${text}`).digest('base64url');
}

export function recall(accountId: string, subAccountId: string, clientMessageId: string, now = Date.now()): Entry | undefined {
  const key = keyOf(accountId, subAccountId, clientMessageId);
  const entry = sent.get(key);
  if (entry && now - entry.at > TTL_MS) {
    sent.delete(key);
    return undefined;
  }
  return entry;
}

export function remember(accountId: string, subAccountId: string, clientMessageId: string, hash: string, outcome: SentOutcome, now = Date.now()): void {
  const key = keyOf(accountId, subAccountId, clientMessageId);
  sent.delete(key);
  sent.set(key, { contentHash: hash, outcome, at: now });
  // Map keeps insertion order: the first keys are the oldest.
  for (const oldest of sent.keys()) {
    if (sent.size <= MAX_ENTRIES) break;
    sent.delete(oldest);
  }
}

/** For tests: forget everything, as a fresh worker would. */
export function forgetSentMessages(): void {
  sent.clear();
}
