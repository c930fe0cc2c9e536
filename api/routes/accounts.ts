import { randomUUID } from 'node:crypto';
import { eq, or } from 'drizzle-orm';
import { Router } from 'express';
import type { z } from 'zod';
import { connectAccount } from '../../connectors/accounts/open-account';
import { isConnectorError } from '../../connectors/kit/errors';
import type { AnyConnector } from '../../connectors/kit/types';
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

/** Credentials and limit overrides are checked against the system's own schemas. */
function checkSystemFields(connector: AnyConnector, body: { credentials?: Record<string, unknown>; limits?: Record<string, number> }) {
  const errors: FieldError[] = [];
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
    const credentials = checkSystemFields(connector, body);
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
    const credentials = checkSystemFields(connectorFor(row.system), body);
    const sealed = credentials === undefined ? undefined : deps.secretBox.seal(credentials, id);
    const [updated] = await db
      .update(accounts)
      .set({
        ...(body.name !== undefined && { name: body.name }),
        ...(body.baseUrl !== undefined && { baseUrl: body.baseUrl }),
        ...(body.limits !== undefined && { limits: body.limits }),
        ...(sealed && { credentialsKeyId: sealed.keyId, credentialsData: sealed.data, status: 'unchecked' as const, statusReason: null }),
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
    // With the account's store, an OAuth account renews an expired token here as a worker would.
    const ctx = connectAccount(deps, connector, row, { timeoutMs: 15_000 });
    let status: 'active' | 'inactive';
    let reason: string | null = null;
    let details: Record<string, unknown> | undefined;
    try {
      details = (await connector.check(ctx)).details;
      status = 'active';
    } catch (e) {
      if (!isConnectorError(e)) throw e;
      if (e.kind !== 'auth' && e.kind !== 'validation' && e.kind !== 'not-found') {
        throw new HttpProblem(502, 'Bad Gateway', `could not reach ${connector.name} to check the credentials: ${e.message}`);
      }
      status = 'inactive';
      reason = e.message;
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
