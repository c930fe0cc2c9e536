import { createHash } from 'node:crypto';

const MAX = 50;
const ALLOWED = /^[A-Za-z0-9\-._:#/]+$/;

/**
 * A clientMessageId for any business key (e.g. `${integrationId}:${sourceRecordId}`). 8x8 allows
 * 50 characters; a longer or unusual key becomes a digest, the same for the same key every time,
 * so a retried send carries the id of the first attempt and receipts can be matched back.
 */
export function clientMessageIdFor(key: string): string {
  if (key.length > 0 && key.length <= MAX && ALLOWED.test(key)) return key;
  return `h-${createHash('sha256').update(key).digest('base64url').slice(0, 43)}`;
}
