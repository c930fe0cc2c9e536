import { randomUUID } from 'node:crypto';
import express from 'express';
import { pinoHttp } from 'pino-http';
import type { ApiDeps } from './deps';
import { requireToken } from './auth';
import { kindRoutes } from './kind-routes';
import { openApiDocument } from './openapi';
import { createProblemHandler, sendProblem } from './problem';
import { accountsRouter } from './routes/accounts';
import { functionalityTogglesRouter } from './routes/functionality-toggles';
import { hubRouter } from './routes/hub';
import { integrationsRouter } from './routes/integrations';
import { oauthCallbackRouter, oauthStartRouter, redactOAuthParams } from './routes/oauth';
import { systemsRouter } from './routes/systems';
import { redactWebhookSecret, webhooksRouter } from './routes/webhooks';

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // Bodies are never logged: they carry credentials. OAuth codes and states (in callback URLs and
      // in the start's redirect) are credentials too.
      serializers: {
        req: (req: { id: unknown; method: unknown; url: unknown }) => ({ id: req.id, method: req.method, url: redactOAuthParams(redactWebhookSecret(req.url)) }),
        res: (res: { statusCode: unknown; headers?: Record<string, unknown> }) => ({ ...res, ...(res.headers && { headers: { ...res.headers, location: redactOAuthParams(res.headers.location) } }) }),
      },
    }),
  );
  app.use(express.json({ limit: '256kb', type: ['application/json', 'application/*+json'] }));

  const openapi = openApiDocument();
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/openapi.json', (_req, res) => void res.json(openapi));

  app.use('/webhooks', webhooksRouter(deps));
  app.use('/oauth', oauthCallbackRouter(deps));
  app.use(requireToken(deps.apiToken));
  app.use('/oauth', oauthStartRouter(deps));
  app.use('/accounts', accountsRouter(deps));
  app.use('/accounts', functionalityTogglesRouter(deps));
  for (const routes of Object.values(kindRoutes)) if (routes) app.use('/integrations', routes(deps));
  app.use('/integrations', integrationsRouter(deps));
  app.use('/systems', systemsRouter());
  app.use('/hub', hubRouter(deps));
  app.use((req, res) => sendProblem(res, 404, 'Not Found', `no route ${req.method} ${req.path}`));
  app.use(createProblemHandler(deps.log));
  return app;
}
