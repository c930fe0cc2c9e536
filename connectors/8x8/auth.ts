import { z } from 'zod';

export const sms8x8Credentials = z.object({
  apiKey: z.string().min(10).describe('8x8 Connect API key (connect.8x8.com → Messaging Apps → API keys), sent as a bearer token'),
  subAccountId: z
    .string()
    .regex(/^[A-Za-z0-9\-._&]{3,50}$/, 'a sub-account id of 3–50 letters, digits or - . _ &')
    .describe('SMS sub-account id the messages are sent from, usually <accountid>_hq'),
});
export type Sms8x8Credentials = z.infer<typeof sms8x8Credentials>;

export const sms8x8LimitOverrides = z
  .object({
    requestsPerSecond: z.number().int().positive().optional().describe('8x8 API requests per second for this sub-account (8x8 default: 1800)'),
  })
  .strict();

/** The regional hosts 8x8 documents; the account's base URL is one of them (Asia Pacific by default). */
export const SMS_8X8_REGIONS = {
  'asia-pacific': 'https://sms.8x8.com',
  'north-america': 'https://sms.us.8x8.com',
  europe: 'https://sms.8x8.uk',
  indonesia: 'https://sms.8x8.id',
} as const;
