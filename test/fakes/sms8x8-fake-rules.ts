/** 8x8's per-message checks and text accounting, for the fake. */
import { isRecord } from './fake-util';

export interface WireMessage {
  destination?: unknown;
  text?: unknown;
  source?: unknown;
  clientMessageId?: unknown;
  country?: unknown;
  encoding?: unknown;
  scheduled?: unknown;
  expiry?: unknown;
  dlrCallbackUrl?: unknown;
}

export function asWireMessage(value: unknown): WireMessage {
  return isRecord(value) ? value : {};
}

// Printable ASCII and line breaks stand in for the GSM 03.38 default alphabet.
const GSM7 = /^[\x20-\x7E\n\r£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉÄÖÑÜ§¿äöñüà€]*$/;

export function detectEncoding(text: string, requested: unknown): 'GSM7' | 'UCS2' {
  if (requested === 'GSM7' || requested === 'UCS2') return requested;
  return GSM7.test(text) ? 'GSM7' : 'UCS2';
}

/** Parts billed: 160/153 characters for GSM7, 70/67 for UCS2, at most 10 (the rest is cut). */
export function partsOf(text: string, encoding: 'GSM7' | 'UCS2'): number {
  const [single, multi] = encoding === 'GSM7' ? [160, 153] : [70, 67];
  const n = [...text].length;
  return Math.min(10, n <= single ? 1 : Math.ceil(n / multi));
}

/** The REJECTED reason 8x8 gives for a message, or undefined when it would be queued. */
export function rejection(m: WireMessage, now: number): string | undefined {
  const destination = typeof m.destination === 'string' ? m.destination : '';
  const national = typeof m.country === 'string' && m.country.length === 2;
  if (!(national ? /^\+?\d{4,15}$/ : /^\+?[1-9]\d{6,14}$/).test(destination)) return 'Invalid MSISDN format (not E.164 international number)';
  if (typeof m.text !== 'string' || m.text === '') return 'Text value is missing';
  if (m.source !== undefined) {
    const source = typeof m.source === 'string' ? m.source : '';
    const ok = /^\+?\d{1,16}$/.test(source) || /^[A-Za-z0-9 ]{1,11}$/.test(source);
    if (!ok) return 'Invalid Source value. Reached max allowed limit';
  }
  if (m.encoding !== undefined && m.encoding !== 'AUTO' && m.encoding !== 'GSM7' && m.encoding !== 'UCS2') return 'Invalid encoding';
  if (typeof m.expiry === 'string' && Date.parse(m.expiry) <= now) return 'Expiry time already reached';
  return undefined;
}

/** Request-level errors 8x8 answers with HTTP 400 rather than a REJECTED status. */
export function requestError(m: WireMessage): { code: number; message: string } | undefined {
  if (typeof m.clientMessageId === 'string' && m.clientMessageId.length > 50) return { code: 3009, message: 'Too long ClientMessageId' };
  if (typeof m.dlrCallbackUrl === 'string' && !/^https?:\/\/\S+$/.test(m.dlrCallbackUrl)) return { code: 3020, message: 'Invalid DR Callback URL' };
  return undefined;
}
