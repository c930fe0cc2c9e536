import { eq } from 'drizzle-orm';
import { Router } from 'express';
import { z } from 'zod';
import { accounts } from '../../db/schema';
import { scenarioConfig } from '../../kinds/scenario/config';
import type { ApiDeps } from '../deps';
import { loadIntegrationOfKind } from '../integration-of-kind';
import { HttpProblem, unprocessable } from '../problem';
import { sampleTrigger } from '../trigger-sample';
import { idParam, parseBody } from '../validate';

const limit = z.number().int().min(1).max(10).default(3).describe('How many recent records (default 3, at most 10)');

export const sampleBody = z.object({ limit }).strict();
export const draftSampleBody = z
  .object({
    accountId: z.uuid().describe("The trigger's account (the scenario's source)"),
    trigger: z.string().min(1).describe("A trigger of the account's system (GET /systems lists them)"),
    input: z.record(z.string(), z.unknown()).default({}).describe("The trigger's input"),
    limit,
  })
  .strict();

export const sampleView = z.object({
  system: z.string(),
  trigger: z.string(),
  records: z.array(z.object({ id: z.string(), data: z.unknown() })).describe('Newest first'),
  fields: z.array(z.object({ placeholder: z.string(), example: z.unknown() })).describe("Each field of the records as the placeholder that maps it into an action's input, with the newest record's value"),
});

/** A body is optional here: POST with none takes the defaults. */
const bodyOrEmpty = (req: { body?: unknown }) => {
  if (req.body === undefined || (typeof req.body === 'object' && req.body !== null && Object.keys(req.body).length === 0)) req.body = {};
};

/** POST /integrations/:id/sample: recent records of a saved scenario's trigger. */
export function integrationSampleRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/:id/sample', async (req, res) => {
    const row = await loadIntegrationOfKind(deps.database, idParam(req, 'integration'), 'scenario');
    bodyOrEmpty(req);
    const body = parseBody(sampleBody, req);
    const config = scenarioConfig.parse(row.config);
    const [source] = await deps.database.db.select().from(accounts).where(eq(accounts.id, row.sourceAccountId));
    if (!source) throw new HttpProblem(409, 'Conflict', `the integration's account ${row.sourceAccountId} no longer exists`);
    res.json(await sampleTrigger(deps, source, config.trigger.trigger, config.trigger.input, body.limit, 'config.trigger.'));
  });
  return router;
}

/** POST /scenarios/sample: the same for a scenario not saved yet, from its trigger account, trigger and input. */
export function draftSampleRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/sample', async (req, res) => {
    const body = parseBody(draftSampleBody, req);
    const [account] = await deps.database.db.select().from(accounts).where(eq(accounts.id, body.accountId));
    if (!account) throw unprocessable([{ field: 'accountId', message: `no account with id ${body.accountId}` }]);
    res.json(await sampleTrigger(deps, account, body.trigger, body.input, body.limit, ''));
  });
  return router;
}
