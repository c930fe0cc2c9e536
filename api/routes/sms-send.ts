import { desc, eq, sql } from 'drizzle-orm';
import { Router } from 'express';
import { z } from 'zod';
import { normalizePhone } from '../../kinds/sms-send/render-rows';
import { accounts, integrations, smsRuns, SMS_STATES, type IntegrationRow } from '../../db/schema';
import { listMessages } from '../../kinds/ledger/sms-messages';
import { isUnsent } from '../../kinds/ledger/sms-states';
import { webhookUrl } from '../../kinds/sms-send/webhook-url';
import type { ApiDeps } from '../deps';
import { fieldErrors, HttpProblem, notFound, unprocessable } from '../problem';
import { loadIntegrationOfKind } from '../integration-of-kind';
import { previewExistingRows, previewNextRun, sendTestSms } from '../sms-preview';
import { refuseIfSwitchedOff } from '../switched-off';
import { idParam, parseBody } from '../validate';

export const smsTestBody = z.object({ phone: z.string('a phone number in international format, such as +36701234567').trim().min(3, 'a phone number in international format').max(30) }).strict();

export const previewQuery = z
  .object({
    rows: z.enum(['next', 'existing']).default('next').describe('next: what the next run would send (default); existing: rows already in the sheet'),
    from: z.coerce.number('a row number').int().min(1).optional().describe('rows=existing: the first sheet row to show (default: the row below the header)'),
    limit: z.coerce.number('a number of rows').int().min(1).max(500).default(20).describe('rows=existing: how many rows (default 20, at most 500)'),
  })
  .strict();

export const smsListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  state: z.enum(SMS_STATES).optional(),
});

/** Routes only sms-send integrations have; any other kind is a 404 here. */
export function smsSendRouter(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps.database;

  const load = (id: string): Promise<IntegrationRow> => loadIntegrationOfKind(deps.database, id, 'sms-send');
  const account = async (id: string) => {
    const [a] = await db.select().from(accounts).where(eq(accounts.id, id));
    if (!a) throw new HttpProblem(409, 'Conflict', `the integration's account ${id} no longer exists`);
    return a;
  };
  const query = (raw: unknown) => {
    const parsed = smsListQuery.safeParse(raw);
    if (!parsed.success) throw unprocessable(fieldErrors(parsed.error, 'query'));
    return parsed.data;
  };

  router.post('/:id/preview', async (req, res) => {
    const row = await load(idParam(req, 'integration'));
    const q = previewQuery.safeParse(req.query);
    if (!q.success) throw new HttpProblem(400, 'Bad Request', fieldErrors(q.error, 'query').map((e) => `${e.field}: ${e.message}`).join('; '), fieldErrors(q.error, 'query'));
    await refuseIfSwitchedOff(deps, row, [row.sourceAccountId], 'a preview');
    const source = await account(row.sourceAccountId);
    const messages = q.data.rows === 'existing' ? await previewExistingRows(deps, row, source, { from: q.data.from, limit: q.data.limit }) : await previewNextRun(deps, row, source);
    res.json({ count: messages.length, messages });
  });

  router.post('/:id/test', async (req, res) => {
    const row = await load(idParam(req, 'integration'));
    const body = parseBody(smsTestBody, req);
    await refuseIfSwitchedOff(deps, row, [row.sourceAccountId, row.targetAccountId], 'a test SMS');
    const first = (await previewNextRun(deps, row, await account(row.sourceAccountId))).find((m) => isUnsent(m.state));
    if (!first) throw new HttpProblem(409, 'Conflict', 'no pending row to build a test message from: add a row to the sheet first');
    const answer = await sendTestSms(deps, row, await account(row.targetAccountId), normalizePhone(body.phone), first.text);
    res.json({ row: first.row, text: first.text, provider: answer });
  });

  /**
   * A new receipt-webhook secret for this integration alone, answered once as the URL 8x8 posts to:
   * from now on a receipt to any older URL is a 404, and the next send gives 8x8 the new one. Nothing
   * is stored but the secret's version (the secret is derived from ENCRYPTION_KEYS), so no GET can
   * show it again.
   */
  router.post('/:id/webhook-secret/rotate', async (req, res) => {
    const row = await load(idParam(req, 'integration'));
    const [rotated] = await db
      .update(integrations)
      .set({ webhookSecretVersion: sql`${integrations.webhookSecretVersion} + 1`, updatedAt: new Date() })
      .where(eq(integrations.id, row.id))
      .returning({ version: integrations.webhookSecretVersion });
    if (!rotated) throw notFound('sms-send integration', row.id);
    res.setHeader('cache-control', 'no-store');
    res.json({ id: row.id, receiptUrl: webhookUrl(deps.publicUrl?.() ?? '', deps.secretBox, row.id, rotated.version) });
  });

  router.get('/:id/runs', async (req, res) => {
    const row = await load(idParam(req, 'integration'));
    const q = query(req.query);
    const rows = await db.select().from(smsRuns).where(eq(smsRuns.integrationId, row.id)).orderBy(desc(smsRuns.startedAt)).limit(q.limit).offset(q.offset);
    res.json({
      items: rows.map((r) => ({
        id: r.id,
        trigger: r.trigger,
        triggeredBy: r.triggeredBy,
        startedAt: r.startedAt.toISOString(),
        finishedAt: r.finishedAt?.toISOString() ?? null,
        rowsRead: r.rowsRead,
        sent: r.sent,
        rejected: r.rejected,
        failed: r.failed,
        error: r.error,
      })),
    });
  });

  router.get('/:id/messages', async (req, res) => {
    const row = await load(idParam(req, 'integration'));
    const rows = await listMessages(deps.database, row.id, query(req.query));
    res.json({
      items: rows.map((m) => ({
        row: m.rowKey,
        clientMessageId: m.clientMessageId,
        phone: m.phone,
        text: m.text,
        state: m.state,
        umid: m.umid,
        reason: m.reason,
        attempts: m.attempts,
        createdAt: m.createdAt.toISOString(),
        updatedAt: m.updatedAt.toISOString(),
      })),
    });
  });

  return router;
}
