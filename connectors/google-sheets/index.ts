import { defineAction, defineTrigger } from '../kit/define-action';
import { defineConnector } from '../kit/types';
import { googleSheetsLookups } from './lookups';
import { googleAuthType, googleSheetsCredentials, googleSheetsLimitOverrides } from './auth';
import { probeCredentials } from './client';
import { newRowsCursor, newRowsInput, pollNewRows } from './new-rows';
import { readRows, readRowsInput } from './read-rows';

const MINUTE = 60 * 1000;

export const googleSheets = defineConnector({
  id: 'google-sheets',
  name: 'Google Sheets',
  functionalities: ['spreadsheet'],
  defaultBaseUrl: 'https://sheets.googleapis.com',
  hosts: ['sheets.googleapis.com'],
  // OAuth is the usual way (private sheets); an API key reads only link-shared sheets.
  auth: { type: 'oauth2', schema: googleSheetsCredentials, secretFields: ['accessToken', 'apiKey', 'refreshToken'] },
  oauth: {
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    scopes: ['https://www.googleapis.com/auth/spreadsheets.readonly'],
    pkce: true,
    // Google hands out a refresh token only with access_type=offline, and again on a reconnect only
    // when consent is asked anew.
    authorizeParams: { access_type: 'offline', prompt: 'consent' },
    toCredentials: (tokens, previous) => {
      const before = googleSheetsCredentials.safeParse(previous).data;
      return { authType: 'oauth2', accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? before?.refreshToken, expiresAt: tokens.expiresAt, apiKey: before?.apiKey };
    },
  },
  // Google's default read quota: 60 per minute per user (and 300 per minute per project, which
  // spans every account of ours and cannot be counted per account).
  limits: {
    readRequestsPerMinute: { limit: 60, windowMs: MINUTE, description: 'Google Sheets read requests per minute' },
  },
  limitOverrides: googleSheetsLimitOverrides,
  async check(ctx) {
    await probeCredentials(ctx);
    return { details: { authType: googleAuthType(ctx.credentials) } };
  },
  actions: {
    'read-rows': defineAction('google-sheets', {
      repeats: 'safe',
      name: 'Read rows',
      description: 'Reads a range of a sheet; its first row names the columns and each further row becomes a record.',
      input: readRowsInput,
      run: readRows,
    }),
  },
  triggers: {
    'new-rows': defineTrigger('google-sheets', {
      name: 'New row',
      description: 'Rows added to the end of a sheet since the last poll, in row order.',
      input: newRowsInput,
      cursor: newRowsCursor,
      poll: pollNewRows,
    }),
  },
  lookups: googleSheetsLookups,
});

export { a1Range, quoteSheetName } from './a1';
export type { NewRowsCursor } from './new-rows';
export type { SheetRow } from './rows';
