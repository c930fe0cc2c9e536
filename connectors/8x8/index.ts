import { defineAction } from '../kit/define-action';
import { defineConnector } from '../kit/types';
import { SMS_8X8_REGIONS, sms8x8Credentials, sms8x8LimitOverrides } from './auth';
import { probeCredentials } from './client';
import { sendBatch, sendBatchInput, sendSms, sendSmsInput } from './messages';

export const sms8x8 = defineConnector({
  id: '8x8',
  name: '8x8 SMS',
  functionalities: ['sms'],
  // Asia Pacific; accounts elsewhere use their region's host (SMS_8X8_REGIONS).
  defaultBaseUrl: 'https://sms.8x8.com',
  hosts: Object.values(SMS_8X8_REGIONS).map((url) => new URL(url).hostname),
  auth: { type: 'api-key', schema: sms8x8Credentials, secretFields: ['apiKey'] },
  // 8x8's documented default per sub-account (3000/s per IP also applies); no daily quota.
  limits: {
    requestsPerSecond: { limit: 1800, windowMs: 1000, description: '8x8 API requests per second per sub-account' },
  },
  limitOverrides: sms8x8LimitOverrides,
  async check(ctx) {
    await probeCredentials(ctx);
    return { details: { subAccountId: ctx.credentials.subAccountId } };
  },
  actions: {
    // No `repeats`, here and for the batch: 8x8 does not deduplicate by clientMessageId (it only
    // echoes it), so a repeat after a lost answer texts again. The sent cache (sent-cache.ts) only
    // sees this worker's sends; callers keep their own record of what went out (sms-send's ledger).
    'send-sms': defineAction('8x8', {
      name: 'Send SMS',
      description: 'Sends one SMS; a clientMessageId already sent is not sent again.',
      input: sendSmsInput,
      run: sendSms,
    }),
    'send-sms-batch': defineAction('8x8', {
      name: 'Send SMS batch',
      description: 'Sends up to 10,000 personalised SMS in one request and reports each one (queued, rejected or duplicate).',
      input: sendBatchInput,
      run: sendBatch,
    }),
  },
  triggers: {},
  lookups: {},
});

export { SMS_8X8_REGIONS } from './auth';
export { clientMessageIdFor } from './client-message-id';
export { deliveryReceiptSchema, isFinalState, parseDeliveryReceipt, type DeliveryReceipt } from './delivery-receipt';
export type { BatchResult, MessageResult } from './messages';
