import { z } from 'zod';

/**
 * One flat object rather than a discriminated union: the kit scrubs secrets by top-level field
 * name, and the connector definition needs a zod object. `authType` picks the field that must be set.
 */
export const googleSheetsCredentials = z
  .object({
    authType: z.enum(['oauth2', 'api-key']).describe('How to call Google: an OAuth access token (private sheets) or an API key (only sheets shared as "anyone with the link")'),
    accessToken: z.string().min(10).optional().describe('OAuth 2 access token with a spreadsheets.readonly (or broader) scope; required when authType is oauth2'),
    apiKey: z.string().min(10).optional().describe('Google Cloud API key with the Sheets API enabled; required when authType is api-key'),
  })
  .superRefine((c, issues) => {
    if (c.authType === 'oauth2' && !c.accessToken) issues.addIssue({ code: 'custom', path: ['accessToken'], message: 'an OAuth access token is required' });
    if (c.authType === 'api-key' && !c.apiKey) issues.addIssue({ code: 'custom', path: ['apiKey'], message: 'an API key is required' });
  });
export type GoogleSheetsCredentials = z.infer<typeof googleSheetsCredentials>;

export const googleSheetsLimitOverrides = z
  .object({
    readRequestsPerMinute: z.number().int().positive().optional().describe('Sheets API read requests per minute for this account (Google default: 60 per user)'),
  })
  .strict();
