import { z } from 'zod';

/**
 * One flat object rather than a discriminated union: the kit scrubs secrets by top-level field
 * name, and the connector definition needs a zod object. Give `{accessToken}` or `{apiKey}`;
 * `authType` is only needed to say which one when both are stored.
 */
export const googleSheetsCredentials = z
  .object({
    authType: z.enum(['oauth2', 'api-key']).optional().describe('Which of the two to use when both are given (default: the access token)'),
    accessToken: z.string().min(10).optional().describe('OAuth 2 access token with a spreadsheets.readonly (or broader) scope, for private sheets'),
    apiKey: z.string().min(10).optional().describe('Google Cloud API key with the Sheets API enabled, for sheets shared as "anyone with the link"'),
    refreshToken: z.string().min(10).optional().describe('OAuth 2 refresh token (set by GET /oauth/google-sheets/start): the access token is renewed with it before it expires'),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('When the access token expires (ISO 8601)'),
  })
  .superRefine((c, issues) => {
    if (!c.accessToken && !c.apiKey) issues.addIssue({ code: 'custom', path: ['accessToken'], message: 'give an OAuth access token (accessToken) or an API key (apiKey)' });
    if (c.authType === 'oauth2' && !c.accessToken) issues.addIssue({ code: 'custom', path: ['accessToken'], message: 'an OAuth access token is required' });
    if (c.authType === 'api-key' && !c.apiKey) issues.addIssue({ code: 'custom', path: ['apiKey'], message: 'an API key is required' });
  });

/** The way a stored credential calls Google. */
export function googleAuthType(c: z.infer<typeof googleSheetsCredentials>): 'oauth2' | 'api-key' {
  return c.authType ?? (c.accessToken ? 'oauth2' : 'api-key');
}
export type GoogleSheetsCredentials = z.infer<typeof googleSheetsCredentials>;

export const googleSheetsLimitOverrides = z
  .object({
    readRequestsPerMinute: z.number().int().positive().optional().describe('Sheets API read requests per minute for this account (Google default: 60 per user)'),
  })
  .strict();
