import { eq } from 'drizzle-orm';
import { Router } from 'express';
import { sms8x8Credentials } from '../../connectors/8x8/auth';
import { deliveryReceiptSchema, parseDeliveryReceipt, type DeliveryReceipt } from '../../connectors/8x8/delivery-receipt';
import { openCredentials } from '../../connectors/accounts/open-account';
import { accounts, integrations, type AccountRow } from '../../db/schema';
import { isConnectorError } from '../../connectors/kit/errors';
import { applyReceipt } from '../../kinds/ledger/sms-messages';
import { integrationNamedBy, integrationOfSecret } from '../../kinds/sms-send/webhook-url';
import type { ApiDeps } from '../deps';
import { bodyErrors, fieldErrors, HttpProblem } from '../problem';

const noSuchWebhook = () => new HttpProblem(404, 'Not Found', 'no such webhook', [{ field: 'secret', message: 'not the secret of a webhook' }]);

/** The request path as logged: a webhook's secret is its only credential and stays out of logs. */
export const redactWebhookSecret = (url: unknown) => (typeof url === 'string' ? url.replace(/^(\/webhooks\/[^/]+\/)[^/?#]+/, '$1[redacted]') : url);

/**
 * Webhooks from providers, mounted before the API token check: 8x8 cannot send a token, so the
 * URL carries a secret derived from ENCRYPTION_KEYS, the integration id and its secret version. A
 * wrong secret (a made-up one, or one rotated away) is a 404 (nothing to learn from it); a receipt
 * already applied, or for a message we don't know, is a 2xx so 8x8 stops retrying it.
 */
export function webhooksRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/8x8/:secret', async (req, res) => {
    const secret = String(req.params.secret);
    const named = integrationNamedBy(secret);
    const found = named === undefined ? undefined : await integrationAndTarget(deps, named);
    if (!found || integrationOfSecret(deps.secretBox, secret, found.webhookSecretVersion) !== named) throw noSuchWebhook();
    const integrationId = found.id;
    let receipt: DeliveryReceipt;
    try {
      receipt = parseDeliveryReceipt(req.body);
    } catch (e) {
      if (!isConnectorError(e)) throw e;
      const parsed = deliveryReceiptSchema.safeParse(req.body);
      throw new HttpProblem(400, 'Bad Request', e.message, parsed.success ? bodyErrors(e.message) : fieldErrors(parsed.error));
    }
    const subAccountId = sendingSubAccount(deps, found.account);
    if (!subAccountId) throw noSuchWebhook();
    res.status(200).json(await applyReceipt(deps.database, integrationId, receipt, { subAccountId }));
  });
  return router;
}

/** The integration (its current secret version) and the account it sends from; none once it is deleted. */
async function integrationAndTarget(deps: ApiDeps, integrationId: string) {
  const [row] = await deps.database.db
    .select({ id: integrations.id, webhookSecretVersion: integrations.webhookSecretVersion, account: accounts })
    .from(integrations)
    .innerJoin(accounts, eq(accounts.id, integrations.targetAccountId))
    .where(eq(integrations.id, integrationId));
  return row;
}

/** The 8x8 sub-account the integration sends from (in its target account's sealed credentials). */
function sendingSubAccount(deps: ApiDeps, account: AccountRow): string | undefined {
  const credentials = sms8x8Credentials.safeParse(openCredentials(deps.secretBox, account));
  return credentials.success ? credentials.data.subAccountId : undefined;
}
