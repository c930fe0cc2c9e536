import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { Router } from 'express';
import type { z } from 'zod';
import { apiClients, type ApiClientRow } from '../../db/schema';
import { BOOTSTRAP_CLIENT, hashToken, newToken, type Authenticator } from '../auth';
import type { ApiDeps } from '../deps';
import { conflict, notFound } from '../problem';
import { createClientBody, type clientView } from '../schemas';
import { idParam, parseBody } from '../validate';

const view = (row: ApiClientRow): z.infer<typeof clientView> => ({
  id: row.id,
  name: row.name,
  role: row.role,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

const nameTaken = (name: string) => conflict(`a live API client is already named "${name}": names tell clients apart in the audit log`, [{ field: 'name', message: 'already in use' }]);

/** The programs that may call the API, each with its own token and role (admin only, see api/rights.ts). */
export function clientsRouter(deps: ApiDeps, auth: Pick<Authenticator, 'forget'>): Router {
  const router = Router();
  const { db } = deps.database;

  router.post('/', async (req, res) => {
    const body = parseBody(createClientBody, req);
    if (body.name.toLowerCase() === BOOTSTRAP_CLIENT.name) throw nameTaken(body.name);
    const token = newToken();
    const id = randomUUID();
    const [row] = await db
      .insert(apiClients)
      .values({ id, name: body.name, role: body.role, tokenHash: hashToken(token), createdBy: req.apiClient?.name ?? BOOTSTRAP_CLIENT.name })
      .onConflictDoNothing({ target: apiClients.name, where: sql`${apiClients.revokedAt} is null` })
      .returning();
    if (!row) throw nameTaken(body.name);
    // The one time the token is shown: not cached on the way.
    res.status(201).location(`/clients/${id}`).setHeader('Cache-Control', 'no-store');
    res.json({ ...view(row), token });
  });

  router.get('/', async (_req, res) => {
    const rows = await db.select().from(apiClients).orderBy(apiClients.createdAt);
    res.json({ items: rows.map(view) });
  });

  router.delete('/:id', async (req, res) => {
    const id = idParam(req, 'API client');
    const revoked = await db
      .update(apiClients)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiClients.id, id), isNull(apiClients.revokedAt)))
      .returning({ id: apiClients.id });
    if (revoked.length === 0) throw notFound('live API client', id);
    auth.forget();
    res.status(204).end();
  });

  return router;
}
