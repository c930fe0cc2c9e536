import { z } from 'zod';
import type { SecretBox } from '../lib/secret-box';

/** How long a user has between the start link and Google's redirect back. */
export const STATE_TTL_MS = 10 * 60 * 1000;
const AAD = 'oauth-state';

const statePayload = z.object({
  system: z.string(),
  name: z.string().optional(),
  accountId: z.uuid().optional(),
  baseUrl: z.string().optional(),
  /** A console path to send the browser back to (checked at start: /ui/ on this origin only). */
  returnTo: z.string().optional(),
  /** The PKCE verifier: only this service may read it, so the state is sealed, not just signed. */
  verifier: z.string().optional(),
  expiresAt: z.number(),
});
export type OAuthState = z.infer<typeof statePayload>;

/**
 * The OAuth `state`, kept by no one but the browser: the payload sealed with AES-256-GCM under the
 * current ENCRYPTION_KEYS key (authenticated, so nothing in it can be forged or altered, and the
 * PKCE verifier cannot be read from the URL). No table is needed; the price is that a state can be
 * replayed within its 10 minutes, which gains nothing, since Google's code is single-use.
 */
export function sealState(box: SecretBox, payload: Omit<OAuthState, 'expiresAt'>, now = Date.now()): string {
  const sealed = box.seal({ ...payload, expiresAt: now + STATE_TTL_MS }, AAD);
  return `${sealed.keyId}.${Buffer.from(sealed.data, 'base64').toString('base64url')}`;
}

/** The payload, or why the state is refused (in words for the person in front of the browser). */
export function openState(box: SecretBox, state: string, now = Date.now()): { ok: true; state: OAuthState } | { ok: false; reason: string } {
  const dot = state.indexOf('.');
  let opened: unknown;
  try {
    if (dot <= 0) throw new Error('no key id');
    opened = box.open({ keyId: state.slice(0, dot), data: Buffer.from(state.slice(dot + 1), 'base64url').toString('base64') }, AAD);
  } catch {
    return { ok: false, reason: 'the state parameter is not one this service issued (altered, truncated, or sealed with a key no longer configured)' };
  }
  const parsed = statePayload.safeParse(opened);
  if (!parsed.success) return { ok: false, reason: 'the state parameter is not one this service issued' };
  if (parsed.data.expiresAt < now) return { ok: false, reason: 'the sign-in link expired (it is valid for 10 minutes): start the connection again' };
  return { ok: true, state: parsed.data };
}
