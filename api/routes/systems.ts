import { Router } from 'express';
import { z } from 'zod';
import { FUNCTIONALITIES } from '../../connectors/kit/types';
import { catalogue } from '../catalogue';
import { fieldErrors, notFound, unprocessable } from '../problem';

export const systemsQuery = z.object({ functionality: z.enum(FUNCTIONALITIES).optional() }).strict();

/** The catalogue: what each system can do and which credentials it needs. Read-only. */
export function systemsRouter(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const query = systemsQuery.safeParse(req.query);
    if (!query.success) throw unprocessable(fieldErrors(query.error, 'query'));
    const { functionality } = query.data;
    res.json({ items: catalogue().filter((s) => !functionality || s.functionalities.includes(functionality)) });
  });
  router.get('/:id', (req, res) => {
    const system = catalogue().find((s) => s.id === req.params.id);
    if (!system) throw notFound('system', req.params.id);
    res.json(system);
  });
  return router;
}
