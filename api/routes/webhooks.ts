import { and, eq, inArray, sql } from 'drizzle-orm';
import { Router } from 'express';
import { parseDeliveryReceipt, type DeliveryReceipt } from '../../connectors/8x8/delivery-receipt';
import { isConnectorError } from '../../connectors/kit/errors';
import { smsMessages, type SmsState } from '../../db/schema';
import { integrationOfSecret } from '../../kinds/sms-send/webhook-url';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';

/** How far along a message is; a receipt never moves one back (they arrive out of order and retried). */
const RANK: Record<SmsState, number> = { pending: 0, sending: 1, queued: 2, sent: 3, delivered: 4, undelivered: 4, rejected: 4, failed: 4 };
const FROM_RECEIPT: Record<string, SmsState> = { queued: 'queued', sent: 'sent', delivered: 'delivered', read: 'delivered', undelivered: 'undelivered', rejected: 'rejected' };

/** The request path as logged: a webhook's secret is its only credential and stays out of logs. */
export const redactWebhookSecret = (url: unknown) => (typeof url === 'string' ? url.replace(/^(\/webhooks\/[^/]+\/)[^/?#]+/, '$1[redacted]') : url);

/**
 * Webhooks from providers, mounted before the API token check: 8x8 cannot send a token, so the
 * URL carries a secret derived from ENCRYPTION_KEYS and the integration id. A wrong secret is a
 * 404 (nothing to learn from it); a receipt already applied, or for a message we don't know, is a
 * 2xx so 8x8 stops retrying it.
 */
export function webhooksRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/8x8/:secret', async (req, res) => {
    const integrationId = integrationOfSecret(deps.secretBox, String(req.params.secret));
    if (!integrationId) throw new HttpProblem(404, 'Not Found', 'no such webhook');
    let receipt: DeliveryReceipt;
    try {
      receipt = parseDeliveryReceipt(req.body);
    } catch (e) {
      if (isConnectorError(e)) throw new HttpProblem(400, 'Bad Request', e.message);
      throw e;
    }
    const { clientMessageId, umid, status } = receipt.payload;
    const state = FROM_RECEIPT[status.state];
    if (!clientMessageId || !state) {
      res.status(200).json({ applied: false, reason: !clientMessageId ? 'no clientMessageId' : `state ${status.state} is not tracked` });
      return;
    }
    const earlier = (Object.keys(RANK) as SmsState[]).filter((s) => RANK[s] < RANK[state]);
    const reason = state === 'undelivered' || state === 'rejected' ? (status.errorMessage ?? status.detail ?? null) : undefined;
    const updated = await deps.database.db
      .update(smsMessages)
      .set({ state, umid: sql`coalesce(${smsMessages.umid}, ${umid})`, ...(reason !== undefined && { reason }), updatedAt: new Date() })
      .where(and(eq(smsMessages.integrationId, integrationId), eq(smsMessages.clientMessageId, clientMessageId), inArray(smsMessages.state, earlier)))
      .returning({ id: smsMessages.id });
    res.status(200).json({ applied: updated.length > 0 });
  });
  return router;
}
