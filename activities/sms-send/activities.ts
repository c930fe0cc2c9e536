import type { SmsSchedule } from '../../kinds/sms-send/config';
import { webhookUrl } from '../../kinds/sms-send/webhook-url';
import { ensureFunctionalitiesOn } from '../accounts/functionality-gate';
import { activityHeartbeat, markAccountsActive, withAccountStatus } from '../accounts/account-status';
import { setAccountStatus } from '../../connectors/accounts/open-account';
import { sms8x8 } from '../../connectors/8x8';
import { isConnectorError } from '../../connectors/kit/errors';
import { cut } from '../../connectors/kit/redact';
import { googleSheets } from '../../connectors/google-sheets';
import { newRowsCursor, type NewRowsCursor } from '../../connectors/google-sheets/new-rows';
import type { ActivityDeps } from '../deps';
import { toActivityFailure } from '../failures';
import { loadSmsSend, type SmsSendRuntime } from './integration';
import { claimForSending, inDoubt, insertMessages, recordOutcomes, releaseClaim, type SendOutcome } from '../../kinds/ledger/sms-messages';
import { renderRows } from '../../kinds/sms-send/render-rows';
import { finishRun, startRun, type RunCountsInput, type RunTrigger } from './runs';

export interface SmsSendActivityOptions {
  /** How long a message left `sending` by a crash waits for its receipt before it is resent (default 3 minutes). */
  doubtWaitSeconds?: number;
  /** Messages per batch request; a crash leaves at most `sendLanes` times this many in doubt (default 1,000). */
  chunkSize?: number;
  /**
   * Batch requests in flight at once per integration (default 1). Three reached 0.97 of 8x8's
   * rate in a short bench, but a clean-clone run of the SMS crash test then found 750 messages
   * (three chunks) not settled in the database although each reached 8x8 once: off until that is
   * understood.
   */
  sendLanes?: number;
  /** How long one sendSmsChunk call keeps starting chunks (default 0: one chunk a call, as before); also how late a pause can take hold. */
  sendBudgetMs?: number;
  /** How often an integration waiting on an account with bad credentials looks again (default 60 s). */
  authRecheckSeconds?: number;
  /** Rows read per sheet poll (default 1,000). */
  pageSize?: number;
}

export interface SmsPlan {
  schedule: SmsSchedule;
  timeZone: string;
  autoUpdate: boolean;
  backfill: boolean;
  createdAt: string;
  authRecheckMs: number;
}

export interface CollectSummary {
  rowsRead: number;
  newMessages: number;
  rejected: number;
  failed: number;
  nextCursor: NewRowsCursor;
  hasMore: boolean;
}

export interface SendSummary {
  sent: number;
  rejected: number;
  /** Messages in `sending` whose receipt is still awaited; the workflow waits `retryInMs` and asks again. */
  inDoubt: number;
  retryInMs: number;
  hasMore: boolean;
}

/** 8x8 said no to the request itself: nothing in it was taken, so nothing is in doubt. */
const REFUSED = new Set(['auth', 'validation', 'not-found', 'rate-limited']);

const accountsOf = (rt: SmsSendRuntime) => ({ 'google-sheets': rt.accountIds.sheets, '8x8': rt.accountIds.sms });

export function createSmsSendActivities(deps: ActivityDeps, options: SmsSendActivityOptions = {}) {
  const doubtWaitMs = (options.doubtWaitSeconds ?? 180) * 1000;
  const chunkSize = options.chunkSize ?? 1_000;
  const lanes = options.sendLanes ?? 1;
  const sendBudgetMs = options.sendBudgetMs ?? 0;
  const pageSize = options.pageSize ?? 1_000;

  // The trigger checks the cursor against its schema: it comes back from workflow state as plain JSON.
  const poll = (rt: SmsSendRuntime, cursor: NewRowsCursor | undefined) =>
    googleSheets.triggers['new-rows'].poll(rt.sheets, { spreadsheetId: rt.config.spreadsheetId, sheet: rt.range.sheet, headerRow: rt.range.headerRow, pageSize }, cursor);

  return {
    /** What the workflow needs to schedule itself; read again after every config change. */
    async planSmsSend(input: { integrationId: string }): Promise<SmsPlan> {
      const rt = await loadSmsSend(deps, input.integrationId);
      const { schedule, timeZone, autoUpdate, backfill } = rt.config;
      return { schedule, timeZone, autoUpdate, backfill, createdAt: rt.createdAt.toISOString(), authRecheckMs: (options.authRecheckSeconds ?? 60) * 1000 };
    },

    /**
     * One page of rows below the cursor. Each new row becomes a `pending` message (rendered now)
     * before the workflow moves its cursor past it; with `markOnly` (the rows already there when
     * the integration was created, no backfill) the rows are only passed over.
     */
    async collectSmsRows(input: { integrationId: string; cursor?: NewRowsCursor; markOnly?: boolean }): Promise<CollectSummary> {
      const heartbeat = activityHeartbeat();
      const rt = await loadSmsSend(deps, input.integrationId, heartbeat);
      return withAccountStatus(deps, { integration: rt.integration, accountIds: accountsOf(rt) }, async () => {
        // The rows already there were fixed when the integration was saved (integrations created
        // before boundaries were stored read the sheet to its end instead).
        const savedBoundary = input.markOnly && input.cursor === undefined ? newRowsCursor.safeParse(rt.integration.row.boundary) : undefined;
        if (savedBoundary?.success) return { rowsRead: 0, nextCursor: savedBoundary.data, hasMore: false, newMessages: 0, rejected: 0, failed: 0 };
        const page = await poll(rt, input.cursor);
        const base = { rowsRead: page.records.length, nextCursor: page.nextCursor, hasMore: page.hasMore };
        if (input.markOnly) return { ...base, newMessages: 0, rejected: 0, failed: 0 };
        const rendered = renderRows(rt.integrationId, rt.config, page.records, new Date());
        const newMessages = await insertMessages(deps.database, rt.integrationId, rendered);
        return { ...base, newMessages, rejected: rendered.filter((m) => m.state === 'rejected').length, failed: rendered.filter((m) => m.state === 'failed').length };
      });
    },

    /**
     * Sends chunks of pending messages with the protocol that never texts twice on a crash: each
     * claimed as `sending` in the database, then one batch request, then each message's answer
     * recorded. A message found `sending` is in doubt: its receipt settles it; only one without a
     * receipt after the doubt wait is claimed again and resent.
     *
     * One chunk at a time, a provider whose limit binds (8x8 at a few requests a second) waited
     * for our own round trips (claim, record, the next activity) between its requests: `lanes`
     * chunks go out side by side, each through the account's limiter, and one call keeps sending
     * for up to `sendBudgetMs` so the workflow's turn between calls is paid once per many chunks.
     */
    async sendSmsChunk(input: { integrationId: string }): Promise<SendSummary> {
      const heartbeat = activityHeartbeat();
      const rt = await loadSmsSend(deps, input.integrationId, heartbeat);
      return withAccountStatus(deps, { integration: rt.integration, accountIds: accountsOf(rt) }, async () => {
        const publicUrl = deps.publicUrl ?? 'http://127.0.0.1:3000';
        const defaults = { source: rt.config.sender, dlrCallbackUrl: webhookUrl(publicUrl, deps.secretBox, rt.integrationId, rt.integration.row.webhookSecretVersion) };
        const until = Date.now() + sendBudgetMs;
        const total = { chunks: 0, sent: 0, rejected: 0 };
        let failure: { error: unknown } | undefined;
        const sendOne = async (): Promise<boolean> => {
          const claimed = await claimForSending(deps.database, rt.integrationId, chunkSize, doubtWaitMs);
          if (claimed.length === 0) return false;
          let result;
          try {
            result = await sms8x8.actions['send-sms-batch'].run(rt.sms, { messages: claimed.map((m) => ({ destination: m.phone, text: m.text, clientMessageId: m.clientMessageId })), defaults });
          } catch (e) {
            // Refused outright: nothing went out. Anything else (timeout, 5xx) may have: stays in doubt.
            if (isConnectorError(e) && REFUSED.has(e.kind)) await releaseClaim(deps.database, claimed.map((m) => m.id));
            throw e;
          }
          const byCmid = new Map(claimed.map((m) => [m.clientMessageId, m.id]));
          const outcomes: SendOutcome[] = result.messages.flatMap((r) => {
            const id = r.clientMessageId === undefined ? undefined : byCmid.get(r.clientMessageId);
            if (!id) return [];
            return [{ id, state: r.accepted ? ('queued' as const) : ('rejected' as const), umid: r.umid ?? null, reason: r.accepted ? null : (r.status.description ?? 'rejected by 8x8') }];
          });
          await recordOutcomes(deps.database, outcomes);
          total.chunks += 1;
          total.sent += outcomes.filter((o) => o.state === 'queued').length;
          total.rejected += outcomes.filter((o) => o.state === 'rejected').length;
          heartbeat({ sent: total.sent });
          return true;
        };
        const lane = async () => {
          try {
            while (!failure && (await sendOne()) && Date.now() < until);
          } catch (e) {
            failure ??= { error: e };
          }
        };
        await Promise.all(Array.from({ length: lanes }, lane));
        // What went out is counted: a failure after some chunks is met again by the next call.
        if (failure && total.chunks === 0) throw failure.error;
        if (total.chunks > 0) return { sent: total.sent, rejected: total.rejected, inDoubt: 0, retryInMs: 0, hasMore: true };
        const doubt = await inDoubt(deps.database, rt.integrationId, doubtWaitMs);
        // Look again well before the wait ends: receipts usually settle doubt within seconds.
        return { sent: 0, rejected: 0, inDoubt: doubt.count, retryInMs: Math.min(doubt.waitMs, 10_000), hasMore: false };
      });
    },

    /** While an integration waits on bad credentials: try both accounts; active again when they work. */
    async checkSmsAccounts(input: { integrationId: string }): Promise<{ ok: boolean; reason?: string }> {
      // Not through withAccountStatus, so the hub's toggles are checked here: a switched-off account is not called.
      const rt = await loadSmsSend(deps, input.integrationId);
      ensureFunctionalitiesOn(rt.integration);
      try {
        await rt.connectors.sheets.check(rt.sheets);
        await rt.connectors.sms.check(rt.sms);
        await markAccountsActive(deps, [rt.accountIds.sheets, rt.accountIds.sms]);
        return { ok: true };
      } catch (e) {
        if (isConnectorError(e) && e.kind === 'auth') {
          await setAccountStatus(deps.database, e.system === '8x8' ? rt.accountIds.sms : rt.accountIds.sheets, 'inactive', e.message);
          return { ok: false, reason: cut(e.message) };
        }
        throw toActivityFailure(e);
      }
    },

    async startSmsRun(input: { runId: string; integrationId: string; trigger: RunTrigger; triggeredBy?: string }): Promise<void> {
      await startRun(deps.database, input);
    },

    async finishSmsRun(input: { runId: string; counts: RunCountsInput; error?: string }): Promise<void> {
      await finishRun(deps.database, input);
    },

    /** Integrations to signal when a run of this one completes ("run only after X"). */
  };
}

export type SmsSendActivities = ReturnType<typeof createSmsSendActivities>;
