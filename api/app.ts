import { randomUUID } from 'node:crypto';
import express from 'express';
import { pinoHttp } from 'pino-http';
import type { ApiDeps } from './deps';
import { createAudit } from './audit';
import { authorize, createAuthenticator } from './auth';
import { consoleRouter, prefersHtml } from './console';
import { kindRoutes } from './kind-routes';
import { openApiDocument } from './openapi';
import { createProblemHandler, sendProblem } from './problem';
import { readiness } from './readiness';
import { refuseUnstorableText } from './storable-text';
import { accountsRouter } from './routes/accounts';
import { auditRouter } from './routes/audit';
import { clientsRouter } from './routes/clients';
import { functionalityTogglesRouter } from './routes/functionality-toggles';
import { hubRouter } from './routes/hub';
import { integrationsRouter } from './routes/integrations';
import { lookupsRouter } from './routes/lookups';
import { draftSampleRouter, integrationSampleRouter } from './routes/samples';
import { oauthCallbackRouter, oauthStartRouter, redactOAuthParams } from './routes/oauth';
import { systemsRouter } from './routes/systems';
import { kindsRouter } from './routes/kinds';
import { smsSendDraftsRouter } from './routes/sms-send-drafts';
import { redactWebhookSecret, webhooksRouter } from './routes/webhooks';

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  const auth = createAuthenticator({ bootstrapToken: deps.apiToken, database: deps.database });
  const audit = createAudit(deps);
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    pinoHttp<express.Request, express.Response>({
      logger: deps.log,
      // Read when the request is done: by then the token check has said who the client is.
      customProps: ({ apiClient: c }) => (c ? { client: { id: c.id, name: c.name, role: c.role } } : {}),
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
  app.use(refuseUnstorableText);

  const openapi = openApiDocument();
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/readyz', readiness(deps));
  app.get('/openapi.json', (_req, res) => void res.json(openapi));

  // A person opening the service's address gets the console; programs keep the API's answer.
  app.get('/', (req, res, next) => (prefersHtml(req) ? res.redirect(303, '/ui/') : next()));
  app.use('/ui', consoleRouter({ ...deps, namespace: deps.temporal.options.namespace }));
  app.use('/webhooks', webhooksRouter(deps));
  app.use('/oauth', oauthCallbackRouter(deps));
  // Who (the token), what they did (the audit, denied attempts included), whether they may (api/rights.ts).
  app.use(auth.authenticate, audit.record, authorize);
  app.use('/oauth', oauthStartRouter(deps));
  app.use('/accounts', accountsRouter(deps));
  app.use('/accounts', functionalityTogglesRouter(deps));
  app.use('/accounts', lookupsRouter(deps));
  for (const routes of Object.values(kindRoutes)) if (routes) app.use('/integrations', routes(deps));
  app.use('/integrations', integrationSampleRouter(deps));
  app.use('/integrations', integrationsRouter(deps));
  app.use('/scenarios', draftSampleRouter(deps));
  app.use('/sms-send', smsSendDraftsRouter(deps));
  app.use('/systems', systemsRouter());
  app.use('/kinds', kindsRouter());
  app.use('/hub', hubRouter(deps));
  app.use('/clients', clientsRouter(deps, auth));
  app.use('/audit', auditRouter(deps, audit));
  app.use((req, res) => sendProblem(res, 404, 'Not Found', `no route ${req.method} ${req.path}`));
  app.use(createProblemHandler(deps.log, deps.database.url));
  return app;
}
