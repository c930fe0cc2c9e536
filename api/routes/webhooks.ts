import { eq } from 'drizzle-orm';
import { Router } from 'express';
import { sms8x8Credentials } from '../../connectors/8x8/auth';
import { deliveryReceiptSchema, parseDeliveryReceipt, type DeliveryReceipt } from '../../connectors/8x8/delivery-receipt';
import { openCredentials } from '../../connectors/accounts/open-account';
import { accounts, integrations } from '../../db/schema';
import { isConnectorError } from '../../connectors/kit/errors';
import { applyReceipt } from '../../kinds/ledger/sms-messages';
import { integrationOfSecret } from '../../kinds/sms-send/webhook-url';
import type { ApiDeps } from '../deps';
import { bodyErrors, fieldErrors, HttpProblem } from '../problem';

const noSuchWebhook = () => new HttpProblem(404, 'Not Found', 'no such webhook', [{ field: 'secret', message: 'not the secret of a webhook' }]);

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
    if (!integrationId) throw noSuchWebhook();
    let receipt: DeliveryReceipt;
    try {
      receipt = parseDeliveryReceipt(req.body);
    } catch (e) {
      if (!isConnectorError(e)) throw e;
      const parsed = deliveryReceiptSchema.safeParse(req.body);
      throw new HttpProblem(400, 'Bad Request', e.message, parsed.success ? bodyErrors(e.message) : fieldErrors(parsed.error));
    }
    const subAccountId = await sendingSubAccount(deps, integrationId);
    if (!subAccountId) throw noSuchWebhook();
    res.status(200).json(await applyReceipt(deps.database, integrationId, receipt, { subAccountId }));
  });
  return router;
}

/** The 8x8 sub-account the integration sends from (in its target account's sealed credentials); none once it is deleted. */
async function sendingSubAccount(deps: ApiDeps, integrationId: string): Promise<string | undefined> {
  const [row] = await deps.database.db
    .select({ account: accounts })
    .from(integrations)
    .innerJoin(accounts, eq(accounts.id, integrations.targetAccountId))
    .where(eq(integrations.id, integrationId));
  if (!row) return undefined;
  const credentials = sms8x8Credentials.safeParse(openCredentials(deps.secretBox, row.account));
  return credentials.success ? credentials.data.subAccountId : undefined;
}
