import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { smsMessages } from '../db/schema';
import { databaseFailureInterceptor, toActivityFailure } from '../activities/failures';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createProblemHandler } from '../api/problem';
import { REDACT_PATHS } from '../lib/logger';
import { startHarness, type Harness } from './support/harness';
import { historyText } from './support/histories';
import { waitFor } from './support/order-sync-scenario';
import { createSmsAccounts, createSmsSend, customer, HEADER, settled, SHEET, startSmsFakes, statusOf } from './support/sms-send-scenario';
import type { GoogleSheetsFake } from './fakes/google-sheets-fake';
import type { Sms8x8Fake } from './fakes/sms8x8-fake';

/** A phone number and a text no error, log line or history may carry. */
const PHONE = '+36709876543';
const TEXT = 'Kovács Anna, your order ORD-777 is confirmed';

/** The failure as the SDK would serialise it: message, type, details and the whole cause chain. */
function failureText(e: unknown): string {
  const parts: string[] = [];
  for (let cur = e; cur; cur = (cur as { cause?: unknown }).cause) {
    parts.push(cur instanceof Error ? `${cur.name}: ${cur.message}\n${cur.stack ?? ''}` : '', JSON.stringify(cur));
  }
  return parts.join('\n');
}

/**
 * A database error's message carries its query and parameters (drizzle: "Failed query: … params:
 * …", up to 2,000 phone numbers and texts per insert). What leaves an activity, the API or a log
 * line says the error's kind and code, never them.
 */
describe('database errors carry their kind and code, never their parameters', () => {
  let h: Harness;
  let sheets: GoogleSheetsFake;
  let sms: Sms8x8Fake;

  beforeAll(async () => {
    h = await startHarness();
    ({ sheets, sms } = await startSmsFakes());
  });
  afterAll(async () => {
    await Promise.all([sheets?.close(), sms?.close()]);
    await h?.close();
  });

  /** A real insert PostgreSQL refuses: a message for an integration that does not exist (a foreign key violation). */
  const refusedInsert = () =>
    h.database.db.insert(smsMessages).values({ integrationId: randomUUID(), rowKey: '7', clientMessageId: randomUUID(), phone: PHONE, text: TEXT });

  it('the raw error does carry the phone number (what the rest of this file guards against)', async () => {
    const raw = await refusedInsert().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failureText(raw)).toContain(PHONE);
  });

  it('toActivityFailure keeps the code, table and constraint and drops the query, parameters and detail', async () => {
    const raw = await refusedInsert().then(
      () => undefined,
      (e: unknown) => e,
    );
    const failure = toActivityFailure(raw) as Error & { type?: string; nonRetryable?: boolean; details?: unknown[] };
    expect(failure.message).toBe('database error 23503 (foreign_key_violation) in sms_messages (sms_messages_integration_id_integrations_id_fk)');
    expect(failure.type).toBe('database');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.cause).toBeUndefined();
    const text = failureText(failure);
    for (const leak of [PHONE, TEXT, 'params', 'insert into']) expect(text).not.toContain(leak);
  });

  it("an activity's database error reaches neither its failure nor the SDK's \"Activity failed\" log line", async () => {
    const logged: string[] = [];
    const record = (level: LogLevel, message: string, meta?: LogMetadata) => {
      logged.push(`${level} ${message} ${failureText(meta?.error)} ${JSON.stringify(meta ?? {})}`);
    };
    const logger: Logger = {
      log: record,
      trace: (m, meta) => record('TRACE', m, meta),
      debug: (m, meta) => record('DEBUG', m, meta),
      info: (m, meta) => record('INFO', m, meta),
      warn: (m, meta) => record('WARN', m, meta),
      error: (m, meta) => record('ERROR', m, meta),
    };
    const env = new MockActivityEnvironment(undefined, { interceptors: [databaseFailureInterceptor], logger });
    const failure = await env.run(async () => refusedInsert()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(failure)).toMatch(/database error 23503 \(foreign_key_violation\) in sms_messages/);
    expect(logged.join('\n')).toMatch(/Activity failed/);
    for (const leak of [PHONE, TEXT]) {
      expect(failureText(failure)).not.toContain(leak);
      expect(logged.join('\n')).not.toContain(leak);
    }
  });

  it('the API logs a database error as its kind and code, not its parameters', async () => {
    const raw = await refusedInsert().then(
      () => undefined,
      (e: unknown) => e,
    );
    const lines: string[] = [];
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
    const sent: { status?: number; body?: unknown } = {};
    const res = {
      getHeader: () => 'req-1',
      status(s: number) {
        sent.status = s;
        return this;
      },
      type() {
        return this;
      },
      json(b: unknown) {
        sent.body = b;
        return this;
      },
    };
    // Express hands the handler (err, req, res, next); this one reads only req.path and res's answer methods.
    (createProblemHandler(log) as unknown as (e: unknown, req: unknown, res: unknown, next: unknown) => void)(raw, { path: '/x' }, res, () => undefined);
    expect(sent.status).toBe(500);
    expect(lines.join('\n')).toMatch(/23503/);
    for (const leak of [PHONE, TEXT]) {
      expect(lines.join('\n')).not.toContain(leak);
      expect(JSON.stringify(sent.body)).not.toContain(leak);
    }
  });

  it('a real sms-send run whose message insert PostgreSQL refuses: the failure the server holds, the history and the logs carry no phone number or text', async () => {
    const ids = await createSmsAccounts(h, sheets, sms);
    const spreadsheetId = sheets.addSpreadsheet({ sheets: { [SHEET]: [HEADER] } });
    const id = await createSmsSend(h, ids, spreadsheetId);
    await settled(h, id);
    // From here on every message insert fails inside PostgreSQL, as a full disk or a broken constraint would.
    await h.database.pool.query(`
      create function refuse_sms() returns trigger language plpgsql as $$
      begin raise exception 'refused by the test' using errcode = '23514', table = 'sms_messages'; end $$;
      create trigger refuse_sms before insert on sms_messages for each row execute function refuse_sms();`);
    const phones = [customer(41), customer(42)].map((r) => r[1]!);
    sheets.appendRows(spreadsheetId, SHEET, [customer(41), customer(42)]);
    const before = (await statusOf(h, id)).runs;
    expect((await h.request('POST', `/integrations/${id}/run`)).status).toBe(202);

    const handle = h.temporal.workflow.getHandle(`integration-${id}`);
    const pending = await waitFor(
      'the insert to fail in an activity',
      async () => (await handle.describe()).raw.pendingActivities ?? [],
      (list) => list.some((a) => /database error/.test(a.lastFailure?.message ?? '')),
    );
    const failed = pending.find((a) => /database error/.test(a.lastFailure?.message ?? ''))!;
    expect(failed.lastFailure?.message).toBe('database error 23514 (check_violation) in sms_messages');
    expect(failed.lastFailure?.applicationFailureInfo?.type).toBe('database');

    // Once PostgreSQL takes the inserts again, the retried run completes and sends both.
    await h.database.pool.query('drop trigger refuse_sms on sms_messages');
    await waitFor('the run to finish', () => statusOf(h, id), (s) => s.runs > before && s.state === 'idle');
    expect(sms.sentMessages({ status: 'QUEUED' }).map((m) => m.destination).sort()).toEqual(phones.sort());

    const history = await handle.fetchHistory();
    // The retried attempt's start event carries the failure of the one before it.
    const retried = (history.events ?? []).find((e) => e.activityTaskStartedEventAttributes?.lastFailure);
    expect(retried?.activityTaskStartedEventAttributes?.lastFailure?.message).toBe('database error 23514 (check_violation) in sms_messages');
    const texts = [historyText(pending), historyText(history), h.logs.join('')];
    for (const text of texts) for (const phone of phones) expect(text).not.toContain(phone);
    expect(h.logs.join('')).not.toMatch(/Failed query/);
  });
});
