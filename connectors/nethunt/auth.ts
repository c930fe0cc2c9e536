import { z } from 'zod';

export const nethuntCredentials = z.object({
  email: z.email().describe('The e-mail address the NetHunt user signs in with (the Basic auth user name)'),
  apiKey: z.string().min(8).describe('The NetHunt API key (NetHunt → Settings → Integrations → API key)'),
});
export type NethuntCredentials = z.infer<typeof nethuntCredentials>;

export const nethuntLimitOverrides = z
  .object({
    requestsPerMinute: z.number().int().positive().optional().describe('Calls per minute this account may make (NetHunt documents no limit; ours is a guard)'),
  })
  .strict();
