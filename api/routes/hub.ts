import { Router } from 'express';
import { accounts } from '../../db/schema';
import type { ApiDeps } from '../deps';
import { buildHub, hubQuery } from '../hub';
import { fieldErrors, unprocessable } from '../problem';

/** GET /hub[?functionality=]: what the user can connect, by functionality, and what is connected. */
export function hubRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = hubQuery.safeParse(req.query);
    if (!query.success) throw unprocessable(fieldErrors(query.error, 'query'));
    const rows = await deps.database.db.select().from(accounts).orderBy(accounts.createdAt);
    res.json(buildHub(rows, query.data.functionality));
  });
  return router;
}
