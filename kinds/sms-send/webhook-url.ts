import type { SecretBox } from '../../lib/secret-box';

/**
 * The delivery-receipt webhook of one integration: /webhooks/8x8/<integrationId>.<mac>. The mac is
 * derived from ENCRYPTION_KEYS, so there is no secret column to store or leak, the worker and the
 * API compute the same URL without sharing state, and a key rotation keeps old URLs valid for as
 * long as the old key stays in the ring (receipts for messages sent before it).
 */
const label = (integrationId: string) => `8x8-webhook:${integrationId}`;

export function webhookSecret(box: SecretBox, integrationId: string): string {
  return `${integrationId}.${box.derive(label(integrationId))}`;
}

export function webhookUrl(publicUrl: string, box: SecretBox, integrationId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/8x8/${webhookSecret(box, integrationId)}`;
}

/** The integration a webhook secret belongs to, or undefined when it is not one of ours. */
export function integrationOfSecret(box: SecretBox, secret: string): string | undefined {
  const m = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{1,64})$/.exec(secret);
  if (!m) return undefined;
  return box.verifyDerived(label(m[1]!), m[2]!) ? m[1] : undefined;
}
