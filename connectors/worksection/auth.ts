import { z } from 'zod';

/**
 * Either the admin API key or OAuth 2 tokens (Worksection's user API). One flat object rather than
 * a union, as for Google Sheets: the kit scrubs secrets by top-level field name and the connector
 * definition needs a zod object. The account address (https://<account>.worksection.com) is the
 * account's base URL; with OAuth it comes from the token answer's account_url.
 */
export const worksectionCredentials = z
  .object({
    authType: z.enum(['api-key', 'oauth2']).optional().describe('Which of the two to use when both are stored (default: the admin key)'),
    apiKey: z.string().min(16).optional().describe('The admin API key (Account → API → "Show API key"; only the account owner sees it)'),
    accessToken: z.string().min(10).optional().describe('OAuth 2 access token (set by GET /oauth/worksection/start; lives 24 hours)'),
    refreshToken: z.string().min(10).optional().describe('OAuth 2 refresh token: the access token is renewed with it (lives a month)'),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('When the access token expires (ISO 8601)'),
  })
  .superRefine((c, issues) => {
    if (!c.apiKey && !c.accessToken) issues.addIssue({ code: 'custom', path: ['apiKey'], message: 'give the admin API key (apiKey), or connect by OAuth' });
    if (c.authType === 'oauth2' && !c.accessToken) issues.addIssue({ code: 'custom', path: ['accessToken'], message: 'an OAuth access token is required' });
    if (c.authType === 'api-key' && !c.apiKey) issues.addIssue({ code: 'custom', path: ['apiKey'], message: 'the admin API key is required' });
  });
export type WorksectionCredentials = z.infer<typeof worksectionCredentials>;

/** The way a stored credential calls Worksection: the key wins when both are stored and nothing says otherwise. */
export function worksectionAuthType(c: WorksectionCredentials): 'oauth2' | 'api-key' {
  return c.authType ?? (c.apiKey ? 'api-key' : 'oauth2');
}

export const worksectionLimitOverrides = z
  .object({
    requestsPerSecond: z.number().int().positive().optional().describe('Calls per second (Worksection documents 1)'),
  })
  .strict();
