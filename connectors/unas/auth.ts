import { z } from 'zod';

export const unasCredentials = z.object({
  apiKey: z.string().min(8, 'the UNAS API key (Settings → External connections → API connection)'),
});
export type UnasCredentials = z.infer<typeof unasCredentials>;

export const unasLimitOverrides = z
  .object({
    orderQueriesPerHour: z.number().int().positive().optional(),
    callsPerHour: z.number().int().positive().optional(),
  })
  .strict();
