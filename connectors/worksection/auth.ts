import { z } from 'zod';

/** The account address (https://<account>.worksection.com) is the account's base URL; only the key is secret. */
export const worksectionCredentials = z.object({
  apiKey: z.string().min(16).describe('The admin API key (Account → API → "Show API key"; only the account owner sees it)'),
});
export type WorksectionCredentials = z.infer<typeof worksectionCredentials>;

export const worksectionLimitOverrides = z
  .object({
    requestsPerSecond: z.number().int().positive().optional().describe('Calls per second (Worksection documents 1)'),
  })
  .strict();
