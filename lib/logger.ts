import pino from 'pino';

/**
 * Every secret-bearing field name we know of is redacted wherever it appears, two levels deep;
 * connectors also strip secrets from error messages before they are logged (see kit/redact.ts).
 */
export const REDACT_PATHS = [
  'credentials', '*.credentials', '*.*.credentials',
  'apiKey', '*.apiKey', '*.*.apiKey',
  'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken',
  'password', '*.password', 'token', '*.token',
  'req.headers.authorization', 'headers.authorization', '*.headers.authorization',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', name?: string) {
  return pino({ level, name, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}

export type Logger = pino.Logger;
