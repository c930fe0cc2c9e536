import type { SecretBox } from '../../lib/secret-box';

/**
 * The delivery-receipt webhook of one integration: /webhooks/8x8/<integrationId>.<mac>. The mac is
 * derived from ENCRYPTION_KEYS, the integration id and its secret version, so there is no secret
 * column to store or leak, the worker and the API compute the same URL from the integration's row,
 * and a key rotation keeps old URLs valid for as long as the old key stays in the ring (receipts for
 * messages sent before it). Rotating one integration's secret raises its version: every URL of an
 * older version is refused, the other integrations' stay as they are.
 */
// Version 0 keeps the label of the URLs made before secrets could be rotated, so they stay valid.
const label = (integrationId: string, version: number) => (version === 0 ? `8x8-webhook:${integrationId}` : `8x8-webhook:${integrationId}:v${version}`);

// A uuid in its canonical form: what the API looks up before the mac is checked must be one.
const SECRET = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{1,64})$/;

export function webhookSecret(box: SecretBox, integrationId: string, version = 0): string {
  return `${integrationId}.${box.derive(label(integrationId, version))}`;
}

export function webhookUrl(publicUrl: string, box: SecretBox, integrationId: string, version = 0): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/8x8/${webhookSecret(box, integrationId, version)}`;
}

/** The integration a webhook secret names (whether it is that integration's secret is for integrationOfSecret to say). */
export function integrationNamedBy(secret: string): string | undefined {
  return SECRET.exec(secret)?.[1];
}

/** The integration whose current secret (of `version`) this is, or undefined when it is not one of ours. */
export function integrationOfSecret(box: SecretBox, secret: string, version = 0): string | undefined {
  const m = SECRET.exec(secret);
  if (!m) return undefined;
  return box.verifyDerived(label(m[1]!, version), m[2]!) ? m[1] : undefined;
}
