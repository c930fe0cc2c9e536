import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineAction } from '../kit/define-action';
import { callSare, type SareContext } from './client';

const sendInput = z.object({
  to: z.email().describe('Recipient address.'),
  subject: z.string().min(1).max(255).describe('Subject line.'),
  from: z.string().min(3).describe('Sender, e.g. "Shop <shop@example.pl>" (an address verified in SARE).'),
  html: z.string().optional().describe('HTML body.'),
  text: z.string().optional().describe('Plain-text body.'),
  replyTo: z.email().optional().describe('Reply-To address.'),
  preheader: z.string().optional().describe('Preview text shown after the subject.'),
  encoding: z.enum(['UTF-8', 'ISO-8859-2']).default('UTF-8').describe('Character set of the message.'),
  idempotencyKey: z.string().trim().min(1).max(200).optional().describe('Same key, same message id: a retried send is not delivered twice.'),
});

/** A stable RFC 4122-shaped id from the idempotency key (name-based, like a v5 UUID). */
export function messageUuid(key: string): string {
  const h = createHash('sha256').update(`sare-transactional:${key}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * [3P] send/mail/transactional takes an array of messages, each with an optional UUID. [I] SARE is
 * assumed to treat the UUID as the message's identity and not send a second message with one it
 * already has; that is the only dedupe offered, so the key becomes the UUID. Without a key every
 * call sends.
 */
export const sendTransactional = defineAction('sare', {
  name: 'Send transactional e-mail',
  description: 'Sends one transactional e-mail (order confirmation, password reset…).',
  input: sendInput.refine((m) => m.html !== undefined || m.text !== undefined, { message: 'give html or text', path: ['html'] }),
  async run(ctx: SareContext, input): Promise<{ uuid?: string }> {
    const uuid = input.idempotencyKey === undefined ? undefined : messageUuid(input.idempotencyKey);
    const format = input.html !== undefined && input.text !== undefined ? 'txt,html' : input.html !== undefined ? 'html' : 'txt';
    await callSare(ctx, 'POST', '/send/mail/transactional', [
      { email: input.to, subject: input.subject, from: input.from, html: input.html, txt: input.text, replyto: input.replyTo, preheader: input.preheader, encoding: input.encoding, format, UUID: uuid },
    ]);
    return { uuid };
  },
});
