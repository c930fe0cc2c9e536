import { z } from 'zod';

export const minicrmCredentials = z.object({
  systemId: z.union([z.string().regex(/^\d+$/, 'the numeric MiniCRM system id'), z.number().int().positive()]).transform(String),
  apiKey: z.string().min(8, 'the MiniCRM API key (Settings → System → API key)'),
});
export type MiniCrmCredentials = z.infer<typeof minicrmCredentials>;

export const minicrmLimitOverrides = z
  .object({
    requestsPerMinute: z.number().int().positive().optional(),
    syncUploadsPerHour: z.number().int().positive().optional(),
  })
  .strict();
