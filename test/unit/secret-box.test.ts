import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../lib/config';
import { SecretBox, UnknownKeyError } from '../../lib/secret-box';

describe('credentials encryption', () => {
  const k1 = { id: 'k1', key: randomBytes(32) };
  const k2 = { id: 'k2', key: randomBytes(32) };

  it('round-trips under the current key and hides the plain text', () => {
    const box = new SecretBox([k1]);
    const sealed = box.seal({ apiKey: 'secret-value-123' }, 'account-1');
    expect(sealed.keyId).toBe('k1');
    expect(Buffer.from(sealed.data, 'base64').toString('latin1')).not.toContain('secret-value-123');
    expect(box.open(sealed, 'account-1')).toEqual({ apiKey: 'secret-value-123' });
  });

  it('refuses a ciphertext copied onto another account, or tampered with', () => {
    const box = new SecretBox([k1]);
    const sealed = box.seal({ apiKey: 'x' }, 'account-1');
    expect(() => box.open(sealed, 'account-2')).toThrow();
    const raw = Buffer.from(sealed.data, 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => box.open({ ...sealed, data: raw.toString('base64') }, 'account-1')).toThrow();
  });

  it('rotates: a new first key seals, old keys still open, a missing key is named', () => {
    const old = new SecretBox([k1]).seal({ apiKey: 'old' }, 'a');
    const rotated = new SecretBox([k2, k1]);
    expect(rotated.open(old, 'a')).toEqual({ apiKey: 'old' });
    expect(rotated.seal({ apiKey: 'new' }, 'a').keyId).toBe('k2');
    expect(() => new SecretBox([k2]).open(old, 'a')).toThrow(UnknownKeyError);
  });

  it('reads ENCRYPTION_KEYS from the environment and names a bad variable', () => {
    const env = { API_TOKEN: 'a-token-of-enough-length', DATABASE_URL: 'postgres://x@localhost/db', ENCRYPTION_KEYS: `k2:${k2.key.toString('base64')},k1:${k1.key.toString('base64')}` };
    expect(loadConfig(env).ENCRYPTION_KEYS.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(() => loadConfig({ ...env, ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(/ENCRYPTION_KEYS/);
    expect(() => loadConfig({ ...env, API_TOKEN: 'short' })).toThrow(/API_TOKEN/);
  });
});
