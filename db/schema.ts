import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const accounts = pgTable('accounts', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  /** Stable system id (unas, minicrm, …): renaming one needs a migration. */
  system: text('system').notNull(),
  name: text('name').notNull(),
  baseUrl: text('base_url').notNull(),
  /** AES-256-GCM sealed credentials and the id of the key that sealed them. */
  credentialsKeyId: text('credentials_key_id').notNull(),
  credentialsData: text('credentials_data').notNull(),
  /** Plan-specific overrides of the provider's documented limits. */
  limits: jsonb('limits').$type<Record<string, number>>().notNull().default({}),
  /** Per-functionality toggles of the hub (missing = on). */
  functionalities: jsonb('functionalities').$type<Record<string, boolean>>().notNull().default({}),
  status: text('status', { enum: ['unchecked', 'active', 'inactive'] }).notNull().default('unchecked'),
  statusReason: text('status_reason'),
  checkedAt: timestamp('checked_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const integrations = pgTable(
  'integrations',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    sourceAccountId: uuid('source_account_id').notNull().references(() => accounts.id, { onDelete: 'restrict' }),
    targetAccountId: uuid('target_account_id').notNull().references(() => accounts.id, { onDelete: 'restrict' }),
    config: jsonb('config').$type<Record<string, unknown>>().notNull(),
    /**
     * Where "new" started when the user saved (the kind's boundary, e.g. the sheet's last row):
     * the first pass starts from here instead of from wherever the source stands when it runs.
     */
    boundary: jsonb('boundary'),
    /**
     * Which receipt-webhook secret is valid (sms-send): the secret is derived from ENCRYPTION_KEYS,
     * the id and this number, so none is stored; a rotation raises it and every older URL is refused.
     */
    webhookSecretVersion: integer('webhook_secret_version').notNull().default(0),
    /** false while paused; the workflow keeps running and holds its cursor. */
    enabled: boolean('enabled').notNull().default(true),
    /**
     * The integration whose completed runs start this one, as its kind declares it (KindDefinition.runsAfter).
     * `set null` on delete: `restrict` would make the upstream undeletable while anything runs after
     * it, and `cascade` would take the user's dependent integration and its history along unasked.
     * The dependent keeps its config, so the next save of it asks for an upstream that exists.
     */
    runsAfter: uuid('runs_after').references((): AnyPgColumn => integrations.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('integrations_source_idx').on(t.sourceAccountId),
    index('integrations_target_idx').on(t.targetAccountId),
    // Every completed run looks up the integrations that run after it.
    index('integrations_runs_after_idx').on(t.runsAfter),
  ],
);

/**
 * Where a delivery_ledger row stands, in the ledger's words (kinds/ledger/vocabulary.ts). In doubt is
 * stored as held with detail.inDoubt: it waits for a person like any held row.
 */
export const LEDGER_STATES = ['done', 'held', 'under-way'] as const;

/**
 * One row per side effect on a target, keyed by (integration, source record, action): how a retried
 * or replayed step knows it already happened, and what it last wrote (fingerprint) so unchanged
 * records are not written again. Read and written through kinds/ledger only.
 */
export const deliveryLedger = pgTable(
  'delivery_ledger',
  {
    integrationId: uuid('integration_id').notNull().references(() => integrations.id, { onDelete: 'cascade' }),
    sourceKey: text('source_key').notNull(),
    action: text('action').notNull(),
    /**
     * done: written to the target; held: not written, for the reason in detail (e.g. an unmapped
     * status); under-way: about to be written by an action that is not safe to repeat — found so
     * after a crash, its outcome is unknown and it is held in doubt rather than done twice.
     * ('started' before migration 0004.)
     */
    state: text('state', { enum: LEDGER_STATES }).notNull(),
    targetId: text('target_id'),
    fingerprint: text('fingerprint'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    /** How many times the row was written: each mark, hold and retry of the step. */
    attempts: integer('attempts').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.integrationId, t.sourceKey, t.action] }),
    index('delivery_ledger_state_idx').on(t.integrationId, t.state),
  ],
);

/**
 * Sliding-window log of calls per (account, limit): shared by every worker, exact for "N per window".
 * One row is a reservation of `slots` calls, all counted as made at `at` (the latest moment the
 * worker holding them may make one); the worker lowers `slots` to what it used when it gives the
 * rest back.
 */
export const rateLimitEvents = pgTable(
  'rate_limit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    bucket: text('bucket').notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    slots: integer('slots').notNull().default(1),
  },
  (t) => [index('rate_limit_events_bucket_at_idx').on(t.bucket, t.at)],
);

/**
 * Where a scenario's trigger stands, kept here rather than in workflow history: some cursors are
 * large (SUMIT's removal trigger keeps the folder's id snapshot). `fingerprint` is the trigger and
 * its input: a changed trigger starts from scratch instead of misreading an old cursor.
 */
export const triggerCursors = pgTable('trigger_cursors', {
  integrationId: uuid('integration_id')
    .primaryKey()
    .references(() => integrations.id, { onDelete: 'cascade' }),
  fingerprint: text('fingerprint').notNull(),
  cursor: jsonb('cursor'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type AccountRow = typeof accounts.$inferSelect;
export type IntegrationRow = typeof integrations.$inferSelect;

export const SMS_STATES = ['pending', 'sending', 'queued', 'sent', 'delivered', 'undelivered', 'rejected', 'failed'] as const;
export type SmsState = (typeof SMS_STATES)[number];

/**
 * One SMS per (integration, sheet row), written before 8x8 is called: `pending` (rendered, not
 * sent), `sending` (the request is about to go or is in flight: if found so after a crash, the
 * message is in doubt until its delivery receipt arrives), then what 8x8 and its receipts said.
 */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    integrationId: uuid('integration_id').notNull().references(() => integrations.id, { onDelete: 'cascade' }),
    rowKey: text('row_key').notNull(),
    clientMessageId: text('client_message_id').notNull(),
    phone: text('phone').notNull(),
    text: text('text').notNull(),
    state: text('state', { enum: SMS_STATES }).notNull().default('pending'),
    umid: text('umid'),
    reason: text('reason'),
    attempts: integer('attempts').notNull().default(0),
    /** When the last send request was about to go out: the in-doubt wait counts from here. */
    sendingAt: timestamp('sending_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sms_messages_row_idx').on(t.integrationId, t.rowKey),
    uniqueIndex('sms_messages_client_message_id_idx').on(t.clientMessageId),
    index('sms_messages_state_idx').on(t.integrationId, t.state),
  ],
);

export const SMS_RUN_TRIGGERS = ['interval', 'time', 'after', 'manual'] as const;

/** One row per run of an sms-send integration; the id comes from the workflow, so a retried insert is a no-op. */
export const smsRuns = pgTable(
  'sms_runs',
  {
    id: uuid('id').primaryKey(),
    integrationId: uuid('integration_id').notNull().references(() => integrations.id, { onDelete: 'cascade' }),
    trigger: text('trigger', { enum: SMS_RUN_TRIGGERS }).notNull(),
    /** For `after`: the integration whose completed run started this one. */
    triggeredBy: uuid('triggered_by'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    rowsRead: integer('rows_read').notNull().default(0),
    sent: integer('sent').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    error: text('error'),
  },
  (t) => [index('sms_runs_integration_idx').on(t.integrationId, t.startedAt)],
);

export type SmsMessageRow = typeof smsMessages.$inferSelect;
export type SmsRunRow = typeof smsRuns.$inferSelect;

/** Least to most: every role may do what the ones before it may (api/rights.ts says what each route needs). */
export const API_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/**
 * A program's access to the API. Only the SHA-256 of its token is kept: tokens are 256 random bits,
 * so a fast hash is enough (nothing to brute-force) and a lookup by hash needs no per-row salt.
 * Revoking keeps the row, so the audit log's ids and names still say who it was.
 */
export const apiClients = pgTable(
  'api_clients',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    name: text('name').notNull(),
    role: text('role', { enum: API_ROLES }).notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The name of the client that created this one, as it was then. */
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_clients_token_hash_idx').on(t.tokenHash),
    // Names are what the log shows: two live clients of one name would make it ambiguous.
    uniqueIndex('api_clients_live_name_idx').on(t.name).where(sql`${t.revokedAt} is null`),
  ],
);

/**
 * Every change made through the API (any request but GET/HEAD/OPTIONS that passed the token check),
 * whatever its outcome. `client_id` is text because the built-in admin (API_TOKEN) has no row.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    /** In the order the rows were written: the order of the answers, within a process. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    clientId: text('client_id').notNull(),
    clientName: text('client_name').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    status: integer('status').notNull(),
    /** The resource changed: the created one's id (from Location), else the route's id. */
    resourceId: text('resource_id'),
    requestId: text('request_id'),
  },
  (t) => [index('audit_log_client_idx').on(t.clientId, t.id)],
);

export type ApiClientRow = typeof apiClients.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
