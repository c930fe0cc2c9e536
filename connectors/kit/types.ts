import type { Answered } from './rate-limiter';
import type { z } from 'zod';
import type { HttpClient } from './http';
import type { OAuthClient, OAuthDeclaration } from './oauth2';
import type { LimitSpec } from './rate-limiter';

/** Stable system ids: stored in the database, never renamed without a migration. */
export const SYSTEM_IDS = ['unas', 'minicrm', 'nethunt', 'worksection', 'google-sheets', '8x8', 'sumit', 'sare'] as const;
export type SystemId = (typeof SYSTEM_IDS)[number];

export const FUNCTIONALITIES = ['orders', 'crm', 'tasks', 'sms', 'email', 'documents', 'mailing-list', 'spreadsheet'] as const;
export type Functionality = (typeof FUNCTIONALITIES)[number];

export interface CredentialStore {
  load(): Promise<unknown>;
  save(next: unknown): Promise<void>;
}

/** What a connector's code gets for one account: never more than it needs. */
export interface ConnectorContext<Credentials> {
  accountId: string;
  baseUrl: string;
  credentials: Credentials;
  http: HttpClient;
  /**
   * Takes a slot of one of the connector's declared limits (shared across workers) before a call.
   * Calling what it returns once the answer is in lets the slot be counted from then, exactly.
   */
  throttle(limit: string, cost?: number): Promise<Answered>;
  /** Tells Temporal a long call is alive; a no-op outside activities. */
  heartbeat(details?: unknown): void;
  /** The OAuth client (from the environment) of a connector that declares `oauth`; absent when not configured. */
  oauthClient?: OAuthClient;
  /**
   * The account's stored credentials, for connectors that renew their own (OAuth refresh): `load`
   * re-reads them as stored (another worker may have renewed them; the connector validates them),
   * `save` seals and stores new ones. Absent where there is no database.
   */
  credentialStore?: CredentialStore;
}

/**
 * What running an action again does when the first run's outcome is unknown (a crash, a lost answer):
 * 'safe' — the same outcome (an upsert, adding to a list); `{key}` — safe when the input field `key`
 * carries a stable idempotency key; absent — it may be done twice, so callers must not repeat it blindly.
 */
export type Repeats = 'safe' | { key: string };

export interface ActionDefinition<Credentials, Input extends z.ZodType = z.ZodType, Output = unknown> {
  name: string;
  description: string;
  /** Which of the connector's functionalities it belongs to (the hub's toggles); default the first. */
  functionality?: Functionality;
  repeats?: Repeats;
  input: Input;
  /** Takes the input as callers write it (defaults may be left out) and checks it (kit/define-action.ts). */
  run(ctx: ConnectorContext<Credentials>, input: z.input<Input>): Promise<Output>;
}

export interface PolledRecord<T = unknown> {
  /** Stable id of the record in the source. */
  id: string;
  /** Unique per version of the record (id + modification), for dedupe across overlapping polls. */
  dedupeKey: string;
  data: T;
}

export interface PollResult<T, Cursor> {
  records: PolledRecord<T>[];
  /** Commit only after the records are durably handled. */
  nextCursor: Cursor;
  /** More records are ready now (a burst larger than a page): poll again without waiting. */
  hasMore: boolean;
}

/** `Result` lets a trigger report more than a page (e.g. that it re-read a window) to callers that know it. */
export interface TriggerDefinition<Credentials, Input extends z.ZodType = z.ZodType, T = unknown, Cursor = unknown, Result extends PollResult<T, Cursor> = PollResult<T, Cursor>> {
  name: string;
  description: string;
  /** Which of the connector's functionalities it belongs to; default the first. */
  functionality?: Functionality;
  input: Input;
  poll(ctx: ConnectorContext<Credentials>, input: z.input<Input>, cursor: Cursor | undefined): Promise<Result>;
  /**
   * True when the first poll of this input reports nothing and only fixes where "new" starts (the
   * provider's present): that first poll's cursor, taken when the user saves, is the boundary of
   * what counts as new. False or absent: the first poll reads from a point the input names.
   */
  startsNow?: (input: unknown) => boolean;
  /**
   * A few recent records, newest first, for a person mapping their fields (kit/sample.ts); commits
   * nothing. Without it, a sample is what a first poll reports, which for a trigger that starts
   * "from now on" is nothing.
   */
  sample?(ctx: ConnectorContext<Credentials>, input: z.input<Input>, limit: number): Promise<PolledRecord<T>[]>;
}

/** One choice a form offers (a user, a status, a folder): `value` is what a config stores, `label` what a person reads. */
export interface LookupItem {
  value: string;
  label: string;
  [extra: string]: unknown;
}

/**
 * A read-only list of the account's own names (users, statuses, folders, columns…) for forms to
 * pick from. Its input arrives as query parameters, so numbers in it are coerced from text.
 */
export interface LookupDefinition<Credentials, Input extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  input: Input;
  run(ctx: ConnectorContext<Credentials>, input: z.input<Input>): Promise<LookupItem[]>;
}

export interface ConnectorDefinition<Auth extends z.ZodObject = z.ZodObject> {
  id: SystemId;
  name: string;
  functionalities: readonly Functionality[];
  defaultBaseUrl: string;
  /**
   * The provider's hosts (`api.example.com`, `*.example.com`): an account's base URL must be one of
   * them, over https, unless EGRESS_ALLOW allows it (kit/egress.ts).
   */
  hosts: readonly string[];
  auth: {
    type: 'api-key' | 'basic' | 'oauth2' | 'body-credentials';
    schema: Auth;
    /** Fields encrypted at rest and never returned; everything else in credentials is a secret too unless listed in `public`. */
    secretFields: readonly (keyof z.infer<Auth> & string)[];
  };
  /** Sign-in by OAuth 2 (GET /oauth/:system/start); only connectors that declare it accept those routes. */
  oauth?: OAuthDeclaration;
  /** Documented limits, overridable per account through `limits` (see limitOverrides). */
  limits: Record<string, LimitSpec>;
  /** Which keys of an account's `limits` override which declared limit. */
  limitOverrides: z.ZodObject;
  /** Verifies credentials with one cheap call; throws an auth error with the provider's words. */
  check(ctx: ConnectorContext<z.infer<Auth>>): Promise<{ details?: Record<string, unknown> }>;
  /** Each action and trigger validates its input with its schema through the kit (run and poll are methods, so specific inputs fit). */
  actions: Record<string, ActionDefinition<z.infer<Auth>>>;
  triggers: Record<string, TriggerDefinition<z.infer<Auth>>>;
  /** Lists a form picks from (GET /accounts/:id/lookups/:name); read-only, so no hub toggle blocks them. */
  lookups: Record<string, LookupDefinition<z.infer<Auth>>>;
}

/**
 * Keeps each declared action's and trigger's own types, so a caller that names one by its key
 * (`minicrm.actions['sync-projects']`) gets its input and output types, not `unknown`.
 */
export function defineConnector<
  Auth extends z.ZodObject,
  Actions extends Record<string, ActionDefinition<z.infer<Auth>>>,
  Triggers extends Record<string, TriggerDefinition<z.infer<Auth>>>,
  Lookups extends Record<string, LookupDefinition<z.infer<Auth>>>,
>(def: ConnectorDefinition<Auth> & { actions: Actions; triggers: Triggers; lookups: Lookups }): ConnectorDefinition<Auth> & { actions: Actions; triggers: Triggers; lookups: Lookups } {
  return def;
}

/**
 * A connector of any auth shape. Credentials are validated by each connector's own schema at the
 * boundary (kit/connect.ts), so the registry can hold them side by side.
 */
export type AnyConnector = ConnectorDefinition<z.ZodObject>;
