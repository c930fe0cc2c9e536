/** Replaces every occurrence of a secret (and its base64 / URL-encoded forms) in a text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')])) {
      out = out.split(form).join('[redacted]');
    }
  }
  return out;
}

/** How much of a provider's answer is shown to users (statusReason, problem details, lastError). */
export const MAX_ECHO_LENGTH = 300;

/** Cuts a text shown to users to a bounded length; redact first, so no secret is left half-visible. */
export function cut(text: string, max = MAX_ECHO_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const SECRET_HEADER = /authorization|cookie|key|token|secret|signature|password/i;

/**
 * Secrets a request carries in its headers beyond the credential fields themselves: a Basic
 * header's base64 of "user:key" does not contain the key's own base64, so the whole value (and the
 * part after the scheme) is scrubbed too.
 */
export function headerSecrets(headers: Record<string, string>): string[] {
  return Object.entries(headers)
    .filter(([name]) => SECRET_HEADER.test(name))
    .flatMap(([, value]) => [value, value.replace(/^\S+\s+/, '')]);
}
