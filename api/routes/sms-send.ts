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
import { previewExistingRows, previewNextRun, renderExistingRows, sendTestSms } from '../sms-preview';
import { previewDraftBody, smsTestBody } from '../sms-draft-schemas';
import { smsSendConfig } from '../../kinds/sms-send/config';
import { refuseIfSwitchedOff } from '../switched-off';
import { idParam, parseBody } from '../validate';

export { smsTestBody };

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
    // The body is optional: without one (or with {}) the saved config is previewed.
    if (req.body === undefined) req.body = {};
    const draft = parseBody(previewDraftBody, req);
    const config = smsSendConfig.parse({ ...row.config, ...draft });
    await refuseIfSwitchedOff(deps, row, [row.sourceAccountId], 'a preview');
    const source = await account(row.sourceAccountId);
    if (q.data.rows === 'existing') {
      const rendered = await previewExistingRows(deps, row, config, source, { from: q.data.from, limit: q.data.limit }, Object.keys(draft).length > 0);
      return void res.json({ count: rendered.messages.length, ...rendered });
    }
    const messages = await previewNextRun(deps, row, config, source);
    res.json({ count: messages.length, messages });
  });

  router.post('/:id/test', async (req, res) => {
    const row = await load(idParam(req, 'integration'));
    const body = parseBody(smsTestBody, req);
    const config = smsSendConfig.parse({ ...row.config, ...(body.template !== undefined && { template: body.template }) });
    await refuseIfSwitchedOff(deps, row, [row.sourceAccountId, row.targetAccountId], 'a test SMS');
    const source = await account(row.sourceAccountId);
    // The first row the next run would send; with none (every row already there), the first row
    // already in the sheet: a template is worth testing before any new row comes. A draft is
    // rendered afresh, so messages stored with the saved template are passed over.
    const next = (await previewNextRun(deps, row, config, source, { waiting: body.template === undefined })).find((m) => isUnsent(m.state));
    const first = next ?? (await renderExistingRows(deps, row.id, config, source, { limit: 20 })).messages.find((m) => m.state === 'pending');
    if (!first) throw new HttpProblem(409, 'Conflict', 'no row to build a test message from: the sheet has no row with a phone number and a text to send');
    const answer = await sendTestSms(deps, config, await account(row.targetAccountId), normalizePhone(body.phone), first.text);
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
