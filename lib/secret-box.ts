import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from './config';

/** What is stored for an encrypted value: AES-256-GCM, with the id of the key that sealed it. */
export interface SealedSecret {
  keyId: string;
  /** base64 of iv(12) | tag(16) | ciphertext */
  data: string;
}

export class UnknownKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`credentials were encrypted with key "${keyId}", which is not in ENCRYPTION_KEYS`);
  }
}

/** Encrypts secrets at rest. The first key of the ring seals; every key of the ring opens, so keys can rotate. */
export class SecretBox {
  constructor(private readonly keys: KeyRing) {}

  get currentKeyId(): string {
    return this.current().id;
  }

  seal(plain: unknown, aad: string): SealedSecret {
    const { id, key } = this.current();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The row id as associated data stops a ciphertext from being copied onto another account.
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    return { keyId: id, data: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
  }

  open(sealed: SealedSecret, aad: string): unknown {
    const entry = this.keys.find((k) => k.id === sealed.keyId);
    if (!entry) throw new UnknownKeyError(sealed.keyId);
    const raw = Buffer.from(sealed.data, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', entry.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    return JSON.parse(plain.toString('utf8'));
  }

  /**
   * A secret for `label` derived from the current key (HMAC-SHA256), e.g. the one in a webhook
   * URL: nothing to store, and no one can make one without the key.
   */
  derive(label: string): string {
    return hmac(this.current().key, label);
  }

  /** True when `value` was derived for `label` by any key of the ring, so rotation keeps old URLs working. */
  verifyDerived(label: string, value: string): boolean {
    const given = Buffer.from(value);
    return this.keys.some((k) => {
      const expected = Buffer.from(hmac(k.key, label));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
  }

  private current() {
    const first = this.keys[0];
    if (!first) throw new Error('empty key ring');
    return first;
  }
}

function hmac(key: Buffer, label: string): string {
  return createHmac('sha256', key).update(`derived:${label}`).digest('base64url').slice(0, 32);
}
