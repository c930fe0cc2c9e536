import { z } from 'zod';
import { defineAction } from '../kit/define-action';
import { ConnectorError } from '../kit/errors';
import { ANY_DATA, callSumit, type SumitContext } from './client';

const sendSmsInput = z.object({
  recipient: z.string().trim().min(6).describe('Phone number of the recipient.'),
  text: z.string().min(1).max(1000).describe('Message text.'),
  sender: z.string().trim().min(1).optional().describe('A verified sender name or number of the account.'),
});

/**
 * What SUMIT guarantees: nothing about repeats — sms/send takes no client message id [I: none in
 * the swagger], so a retry after a lost answer may send twice. Callers run it behind the delivery
 * ledger, and we keep no retry of our own inside the call.
 */
export const sendSms = defineAction('sumit', {
  name: 'Send SMS',
  description: 'Sends one SMS from the SUMIT account.',
  input: sendSmsInput,
  async run(ctx: SumitContext, input): Promise<{ sent: true; data: unknown }> {
    const data = await callSumit(ctx, '/sms/sms/send/', { Recipient: input.recipient, Text: input.text, Sender: input.sender }, ANY_DATA);
    return { sent: true, data: data ?? null };
  },
});

/** [I] SUMIT may refuse a contact already on the list; being on it is the outcome we want. */
const ALREADY = /already/i;

async function addToList(ctx: SumitContext, path: string, body: Record<string, unknown>): Promise<{ added: boolean }> {
  try {
    await callSumit(ctx, path, body, ANY_DATA);
    return { added: true };
  } catch (e) {
    if (e instanceof ConnectorError && e.kind === 'validation' && ALREADY.test(e.message)) return { added: false };
    throw e;
  }
}

const addEmailInput = z.object({
  mailingListId: z.number().int().positive().describe('The SUMIT e-mail mailing list id.'),
  emailAddress: z.email().describe('Address to add.'),
  name: z.string().optional().describe('Display name of the subscriber.'),
});

export const addToEmailList = defineAction('sumit', {
  name: 'Add to e-mail mailing list',
  description: 'Subscribes an address to a SUMIT e-mail mailing list (adding twice is harmless).',
  input: addEmailInput,
  run: (ctx: SumitContext, input) =>
    addToList(ctx, '/emailsubscriptions/mailinglists/add/', { MailingListID: input.mailingListId, EmailAddress: input.emailAddress, Name: input.name }),
});

const addSmsInput = z.object({
  mailingListId: z.number().int().positive().describe('The SUMIT SMS mailing list id.'),
  phoneNumber: z.string().trim().min(6).describe('Phone number to add.'),
  name: z.string().optional().describe('Display name of the recipient.'),
});

export const addToSmsList = defineAction('sumit', {
  name: 'Add to SMS mailing list',
  description: 'Adds a phone number to a SUMIT SMS mailing list (adding twice is harmless).',
  input: addSmsInput,
  run: (ctx: SumitContext, input) => addToList(ctx, '/sms/mailinglists/add/', { MailingListID: input.mailingListId, PhoneNumber: input.phoneNumber, Name: input.name }),
});
