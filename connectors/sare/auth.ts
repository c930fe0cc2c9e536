import { z } from 'zod';

export const sareCredentials = z.object({
  uid: z.string().trim().regex(/^\d{1,12}$/).describe('The SARE account UID (the number in the API address s.enewsletter.pl/api/v1/{uid}).'),
  apiKey: z.string().trim().min(16).describe('The SARE REST API key (Settings → API), sent in the ApiKey header.'),
});
export type SareCredentials = z.infer<typeof sareCredentials>;

export const sareLimitOverrides = z
  .object({
    requestsPerMinute: z.number().int().positive().optional().describe('Calls per minute for this account.'),
  })
  .strict();
