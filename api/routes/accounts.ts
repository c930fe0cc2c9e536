import { randomUUID } from 'node:crypto';
import { eq, or } from 'drizzle-orm';
import { Router } from 'express';
import type { z } from 'zod';
import { connectAccount } from '../../connectors/accounts/open-account';
import { egressFor, egressRefusal, sameOrigin, type EgressAllow } from '../../connectors/kit/egress';
import { isConnectorError } from '../../connectors/kit/errors';
import { cut } from '../../connectors/kit/redact';
import type { AnyConnector, ConnectorContext } from '../../connectors/kit/types';
import { getConnector } from '../../connectors/registry';
import { accounts, integrations, type AccountRow } from '../../db/schema';
import type { ApiDeps } from '../deps';
import { conflict, fieldErrors, HttpProblem, notFound, unprocessable, type FieldError } from '../problem';
import { createAccountBody, updateAccountBody } from '../schemas';
import { idParam, parseBody } from '../validate';
import { viewAccount } from '../views';

function connectorFor(system: string): AnyConnector {
  const connector = getConnector(system);
  if (!connector) throw unprocessable([{ field: 'system', message: `"${system}" has no connector in this version yet` }]);
  return connector;
}

/** Why an account's credentials are gone after a PATCH moved its base URL elsewhere. */
export const CREDENTIALS_DROPPED = 'base URL changed: enter the credentials again';

/**
 * Credentials and limit overrides are checked against the system's own schemas; a base URL must be
 * one of the connector's hosts or allowed by EGRESS_ALLOW (the key goes wherever it points).
 */
function checkSystemFields(connector: AnyConnector, body: { baseUrl?: string; credentials?: Record<string, unknown>; limits?: Record<string, number> }, allow: EgressAllow) {
  const errors: FieldError[] = [];
  const refusal = body.baseUrl === undefined ? undefined : egressRefusal(body.baseUrl, egressFor(connector, allow));
  if (refusal) errors.push({ field: 'baseUrl', message: refusal });
  let credentials: unknown;
  if (body.credentials !== undefined) {
    const parsed = connector.auth.schema.strict().safeParse(body.credentials);
    if (parsed.success) credentials = parsed.data;
    else errors.push(...fieldErrors(parsed.error, 'credentials'));
  }
  if (body.limits !== undefined) {
    const parsed = connector.limitOverrides.safeParse(body.limits);
    if (!parsed.success) errors.push(...fieldErrors(parsed.error, 'limits'));
  }
  if (errors.length) throw unprocessable(errors);
  return credentials;
}

export function accountsRouter(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps.database;

  const load = async (id: string): Promise<AccountRow> => {
    const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
    if (!row) throw notFound('account', id);
    return row;
  };

  router.post('/', async (req, res) => {
    const body: z.infer<typeof createAccountBody> = parseBody(createAccountBody, req);
    const connector = connectorFor(body.system);
    const credentials = checkSystemFields(connector, body, deps.egress);
    const id = randomUUID();
    const sealed = deps.secretBox.seal(credentials, id);
    const [row] = await db
      .insert(accounts)
      .values({ id, system: body.system, name: body.name, baseUrl: body.baseUrl ?? connector.defaultBaseUrl, limits: body.limits ?? {}, credentialsKeyId: sealed.keyId, credentialsData: sealed.data })
      .returning();
    res.status(201).location(`/accounts/${id}`).json(viewAccount(row!));
  });

  router.get('/', async (_req, res) => {
    const rows = await db.select().from(accounts).orderBy(accounts.createdAt);
    res.json({ items: rows.map(viewAccount) });
  });

  router.get('/:id', async (req, res) => {
    res.json(viewAccount(await load(idParam(req, 'account'))));
  });

  router.patch('/:id', async (req, res) => {
    const id = idParam(req, 'account');
    const body = parseBody(updateAccountBody, req);
    const row = await load(id);
    const credentials = checkSystemFields(connectorFor(row.system), body, deps.egress);
    // The stored key never goes to a new host: moving the base URL without new credentials drops them.
    const dropped = credentials === undefined && body.baseUrl !== undefined && !sameOrigin(body.baseUrl, row.baseUrl);
    const sealed = credentials !== undefined ? deps.secretBox.seal(credentials, id) : dropped ? deps.secretBox.seal(null, id) : undefined;
    const [updated] = await db
      .update(accounts)
      .set({
        ...(body.name !== undefined && { name: body.name }),
        ...(body.baseUrl !== undefined && { baseUrl: body.baseUrl }),
        ...(body.limits !== undefined && { limits: body.limits }),
        ...(sealed && { credentialsKeyId: sealed.keyId, credentialsData: sealed.data }),
        ...(credentials !== undefined && { status: 'unchecked' as const, statusReason: null }),
        ...(dropped && { status: 'inactive' as const, statusReason: CREDENTIALS_DROPPED }),
        updatedAt: new Date(),
      })
      .where(eq(accounts.id, id))
      .returning();
    res.json(viewAccount(updated!));
  });

  router.delete('/:id', async (req, res) => {
    const id = idParam(req, 'account');
    await load(id);
    const users = await db
      .select({ id: integrations.id, name: integrations.name })
      .from(integrations)
      .where(or(eq(integrations.sourceAccountId, id), eq(integrations.targetAccountId, id)));
    if (users.length > 0) {
      throw conflict(`the account is used by ${users.length} integration(s): ${users.map((u) => `${u.name} (${u.id})`).join(', ')}; delete those first`);
    }
    await db.delete(accounts).where(eq(accounts.id, id));
    res.status(204).end();
  });

  router.post('/:id/check', async (req, res) => {
    const row = await load(idParam(req, 'account'));
    const connector = connectorFor(row.system);
    let status: 'active' | 'inactive';
    let reason: string | null = null;
    let details: Record<string, unknown> | undefined;
    let ctx: ConnectorContext<Record<string, unknown>> | undefined;
    try {
      // With the account's store, an OAuth account renews an expired token here as a worker would.
      ctx = connectAccount(deps, connector, row, { timeoutMs: 15_000 });
      details = (await connector.check(ctx)).details;
      status = 'active';
    } catch (e) {
      if (!isConnectorError(e)) throw e;
      // The provider's words, cut short and scrubbed of everything the request carried.
      const words = cut(ctx ? ctx.http.scrub(e.message) : e.message);
      if (e.kind !== 'auth' && e.kind !== 'validation' && e.kind !== 'not-found') {
        throw new HttpProblem(502, 'Bad Gateway', `could not reach ${connector.name} to check the credentials: ${words}`);
      }
      status = 'inactive';
      reason = words;
    }
    const [updated] = await db
      .update(accounts)
      .set({ status, statusReason: reason, checkedAt: new Date(), updatedAt: new Date() })
      .where(eq(accounts.id, row.id))
      .returning();
    res.json({ ...viewAccount(updated!), ...(details && { details }) });
  });

  return router;
}
