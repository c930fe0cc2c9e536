import { z } from 'zod';

/** The one task queue every worker polls and every client starts workflows on. */
export const DEFAULT_TASK_QUEUE = 'integrations';

const keyRing = z
  .string()
  .min(1)
  .transform((raw, ctx) => {
    const keys: { id: string; key: Buffer }[] = [];
    for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
      const sep = part.indexOf(':');
      const id = sep > 0 ? part.slice(0, sep) : '';
      const key = Buffer.from(sep > 0 ? part.slice(sep + 1) : '', 'base64');
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id) || key.length !== 32) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected comma-separated "keyId:base64" entries, each key 32 bytes (openssl rand -base64 32)',
        });
        return z.NEVER;
      }
      keys.push({ id, key });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'no key given' });
      return z.NEVER;
    }
    return keys;
  });

/** An optional variable that docker compose passes as "" when it is not set. */
const unsetWhenEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  API_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  /** Where people open the Temporal UI: the console links each integration's workflow there. */
  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8233'),
  /** Comma-separated `keyId:base64` AES-256 keys; the first encrypts, all decrypt (rotation). */
  ENCRYPTION_KEYS: keyRing,
  /** Where third parties (webhooks) reach the API; defaults to the API's own address. */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seconds an order-sync window stays behind "now", so late-committed changes in the source are not skipped. */
  SYNC_SAFETY_LAG_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /**
   * Seconds an SMS left in flight by a crash waits for its delivery receipt before it is resent.
   * 8x8 retries a receipt after 1, 10, 30 and 90 s, so anything under ~2 minutes risks a double text.
   */
  SMS_DOUBT_WAIT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(180),
  /**
   * Workflows a worker keeps in memory between their tasks. An integration mostly sleeps between
   * runs; kept, it costs about half a MiB (1,000 integrations took the service from 245 to 738 MiB
   * with the SDK's default, which scales with the heap: about 2,300 here). Evicted, it replays its
   * history (bounded by continue-as-new) when it wakes, a few milliseconds of CPU.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(100_000).default(250),
  /** The OAuth client registered at Google (both or neither): Google Sheets accounts connect and renew their tokens with it. */
  GOOGLE_OAUTH_CLIENT_ID: unsetWhenEmpty(z.string().trim().min(1)),
  GOOGLE_OAUTH_CLIENT_SECRET: unsetWhenEmpty(z.string().trim().min(1)),
  /** Overrides of Google's authorize and token endpoints (tests point them at a fake). */
  GOOGLE_OAUTH_AUTHORIZE_URL: unsetWhenEmpty(z.url({ protocol: /^https?$/ })),
  GOOGLE_OAUTH_TOKEN_URL: unsetWhenEmpty(z.url({ protocol: /^https?$/ })),
  /** The OAuth app registered at Worksection (both or neither): Worksection accounts may then connect by OAuth beside the admin key. */
  WORKSECTION_OAUTH_CLIENT_ID: unsetWhenEmpty(z.string().trim().min(1)),
  WORKSECTION_OAUTH_CLIENT_SECRET: unsetWhenEmpty(z.string().trim().min(1)),
  /** Overrides of Worksection's authorize and token endpoints (tests point them at a fake). */
  WORKSECTION_OAUTH_AUTHORIZE_URL: unsetWhenEmpty(z.url({ protocol: /^https?$/ })),
  WORKSECTION_OAUTH_TOKEN_URL: unsetWhenEmpty(z.url({ protocol: /^https?$/ })),
  /**
   * Hosts (`crm.internal`, `*.corp.example`), addresses and CIDR ranges (`10.1.0.0/16`, `fd00::/8`),
   * comma-separated, that accounts may reach besides each connector's own hosts, including
   * loopback, private and link-local addresses, which are otherwise refused. Empty by default.
   * Entries are checked at start (connectors/kit/egress.ts).
   */
  EGRESS_ALLOW: z.string().default(''),
});

export type AppConfig = z.infer<typeof envSchema>;

/** Workers serve no HTTP: they need neither a port nor the API token. */
export const workerEnvSchema = envSchema.omit({ PORT: true, API_TOKEN: true });
export type WorkerConfig = z.infer<typeof workerEnvSchema>;
export type KeyRing = AppConfig['ENCRYPTION_KEYS'];

export class ConfigError extends Error {}

/**
 * A start-up problem the person starting the service fixes (a folder PostgreSQL cannot reach, an
 * unknown flag, an unreachable Temporal server): its message is one line saying what to do, and
 * the process prints that line alone, not a stack trace.
 */
export class StartupError extends Error {}

/** Parses the environment once at start and fails fast, naming each bad variable. */
export function loadConfig(env?: NodeJS.ProcessEnv): AppConfig;
export function loadConfig<S extends z.ZodType>(env: NodeJS.ProcessEnv, schema: S): z.infer<S>;
export function loadConfig(env: NodeJS.ProcessEnv = process.env, schema: z.ZodType = envSchema): unknown {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
