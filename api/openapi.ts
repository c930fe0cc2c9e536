import { z } from 'zod';
import { kinds } from '../kinds';
import { automationConfig } from '../kinds/crm-automation/config';
import { systemView } from './catalogue';
import { hubQuery, hubView } from './hub';
import { deliveryReceiptSchema } from '../connectors/8x8/delivery-receipt';
import { automationPatch, suggestionsQuery } from './routes/automations';
import { deliveriesQuery, retryBody } from './routes/deliveries';
import { affectedIntegration, toggleFunctionalityBody } from './routes/functionality-toggles';
import { lookupView } from './routes/lookups';
import { callbackQuery, oauthStartQuery } from './routes/oauth';
import { draftSampleBody, sampleBody, sampleView } from './routes/samples';
import { previewQuery, smsListQuery, smsTestBody } from './routes/sms-send';
import { systemsQuery } from './routes/systems';
import { kindView } from './routes/kinds';
import { previewDraftBody, schedulePreviewBody, schedulePreviewView, sheetPreviewBody } from './sms-draft-schemas';
import { RIGHTS } from './rights';
import {
  accountView,
  auditQuery,
  auditView,
  clientView,
  createAccountBody,
  createClientBody,
  createdClientView,
  createIntegrationBody,
  integrationView,
  updateAccountBody,
  updateIntegrationBody,
} from './schemas';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'input') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });

const problem = {
  description: 'application/problem+json naming each bad field',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        properties: {
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
    },
  },
};

const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: json(schema) } } });
/** A body whose field the API fills in when it is left out (an automation's id): the stored shape requires it, the request does not. */
const withoutRequired = (b: ReturnType<typeof body>, field: string) => {
  const schema = b.content['application/json'].schema as { required?: string[] };
  return { ...b, content: { 'application/json': { schema: { ...schema, required: (schema.required ?? []).filter((f) => f !== field) } } } };
};
/** The query parameters of a zod object schema, each with its own schema (required when it has no default and is not optional). */
const query = <S extends z.ZodObject>(schema: S, names: readonly (keyof S['shape'] & string)[] = Object.keys(schema.shape)) =>
  names.map((name) => ({ name, in: 'query', required: !(schema.shape[name] as z.ZodType).safeParse(undefined).success, schema: json(schema.shape[name] as z.ZodType) }));
const ok = (schema: z.ZodType, status = '200') => ({ [status]: { description: 'OK', content: { 'application/json': { schema: json(schema, 'output') } } } });
const errors = { '400': problem, '401': problem, '404': problem, '409': problem, '413': problem, '422': problem };
const readyView = z.object({ postgres: z.enum(['ok', 'down']), temporal: z.enum(['ok', 'down']) });
const unavailable = { description: 'PostgreSQL or Temporal is down (problem+json naming which, in `unavailable`); Retry-After says when to ask again', content: problem.content };
const forbidden = { description: 'the client\'s role is below `x-required-role` (problem+json with requiredRole)', content: problem.content };

type Operation = Record<string, unknown> & { responses: Record<string, unknown> };

/** Each operation behind the token says the least role it needs (from api/rights.ts) and that a lower one is a 403. */
function withRoles(paths: Record<string, Record<string, Operation>>) {
  for (const [path, methods] of Object.entries(RIGHTS)) {
    for (const [method, role] of Object.entries(methods)) {
      const operation = paths[path]?.[method];
      if (!operation) continue;
      operation['x-required-role'] = role;
      operation.responses['403'] = forbidden;
      operation.responses['503'] ??= unavailable;
    }
  }
  return paths;
}

/** The OpenAPI document, generated from the same zod schemas that validate requests. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Durable integrations API', version: '0.1.0' },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API client\'s token (POST /clients), or API_TOKEN, the built-in admin. Roles, least to most: viewer (reads), operator (also integrations and their controls), admin (also accounts, OAuth, toggles, clients, audit); each operation names its least role in x-required-role.',
        },
      },
      schemas: Object.fromEntries(Object.values(kinds).map((k) => [`${k.kind}-config`, json(k.config)])),
    },
    security: [{ bearer: [] }],
    paths: withRoles({
      '/systems': {
        get: {
          parameters: [{ name: 'functionality', in: 'query', required: false, schema: json(systemsQuery.shape.functionality) }],
          responses: { ...ok(z.object({ items: z.array(systemView) })), '422': problem },
        },
      },
      '/systems/{id}': { get: { responses: { ...ok(systemView), '404': problem } } },
      '/kinds': { get: { description: 'The kinds of integration, each with its systems and the JSON Schema of its config (what a form needs)', responses: ok(z.object({ items: z.array(kindView) })) } },
      '/kinds/{kind}': { get: { responses: { ...ok(kindView), '404': problem } } },
      '/healthz': { get: { security: [], responses: { '200': { description: 'alive (liveness: answers without asking PostgreSQL or Temporal)' } } } },
      '/readyz': {
        get: {
          security: [],
          description: 'Readiness: whether PostgreSQL and Temporal both answer, each within a few seconds.',
          responses: {
            '200': { description: 'both answer', content: { 'application/json': { schema: json(readyView) } } },
            '503': { description: 'PostgreSQL or Temporal is down (problem+json; postgres and temporal say which: "ok" or "down"); Retry-After says when to ask again', content: problem.content },
          },
        },
      },
      '/accounts': {
        get: { responses: ok(z.object({ items: z.array(accountView) })) },
        post: { requestBody: body(createAccountBody), responses: { ...ok(accountView, '201'), ...errors } },
      },
      '/accounts/{id}': {
        get: { responses: { ...ok(accountView), ...errors } },
        patch: { requestBody: body(updateAccountBody), responses: { ...ok(accountView), ...errors } },
        delete: { responses: { '204': { description: 'deleted' }, ...errors } },
      },
      '/accounts/{id}/functionalities/{name}': {
        patch: {
          description: "Switches one of the account's functionalities on or off. Off needs confirm: true; without it a 409 lists the integrations that would stop (`integrations`). Stopped integrations make no calls to the account until it is on again, then continue by themselves.",
          requestBody: body(toggleFunctionalityBody),
          responses: {
            ...ok(accountView),
            ...errors,
            '409': { description: 'confirm needed', content: { 'application/problem+json': { schema: { ...problem.content['application/problem+json'].schema, properties: { ...problem.content['application/problem+json'].schema.properties, integrations: json(z.array(affectedIntegration), 'output') } } } } },
          },
        },
      },
      '/accounts/{id}/lookups/{name}': {
        get: {
          description:
            "A list a form picks from, as the account's system declares it in GET /systems (`lookups`: each with the JSON Schema of its query parameters): MiniCRM modules, users, statuses and fields; NetHunt folders and fields; Worksection projects and users; a spreadsheet's sheets and a sheet's columns; UNAS order statuses. Answers are kept 30 s per account, lookup and parameters (?fresh=1 asks again). An unknown lookup is a 404 listing the system's lookups (`lookups`), a bad parameter a 400 naming it, the provider refusing a 422, the provider unreachable a 502",
          parameters: [{ name: 'fresh', in: 'query', required: false, schema: { type: 'string', enum: ['1'] } }],
          responses: { ...ok(lookupView), ...errors, '502': problem },
        },
      },
      '/hub': {
        get: {
          description: 'The catalogue by functionality: the systems that offer each and your accounts of them, with the toggle',
          parameters: [{ name: 'functionality', in: 'query', required: false, schema: json(hubQuery.shape.functionality) }],
          responses: { ...ok(hubView), '422': problem },
        },
      },
      '/accounts/{id}/check': { post: { responses: { ...ok(accountView), ...errors, '502': problem } } },
      '/integrations': {
        get: { responses: ok(z.object({ items: z.array(integrationView) })) },
        post: { requestBody: body(createIntegrationBody), responses: { ...ok(integrationView, '201'), ...errors } },
      },
      '/integrations/{id}': {
        get: { responses: { ...ok(integrationView), ...errors } },
        patch: { requestBody: body(updateIntegrationBody), responses: { ...ok(integrationView), ...errors } },
        delete: { responses: { '204': { description: 'workflow stopped, integration removed' }, ...errors } },
      },
      '/integrations/{id}/pause': { post: { responses: { '202': { description: 'accepted' }, ...errors } } },
      '/integrations/{id}/resume': { post: { responses: { '202': { description: 'accepted' }, ...errors } } },
      '/integrations/{id}/run': { post: { responses: { '202': { description: 'accepted' }, ...errors } } },
      '/integrations/{id}/automations': {
        get: { description: 'crm-automation only', responses: { ...ok(z.object({ items: z.array(automationConfig) })), ...errors } },
        post: { description: 'Adds one automation; without an `id` the API gives it one (auto-…), answered in the body and Location', requestBody: withoutRequired(body(automationConfig), 'id'), responses: { ...ok(automationConfig, '201'), ...errors } },
      },
      '/integrations/{id}/automations/{automationId}': {
        get: { responses: { ...ok(automationConfig), ...errors } },
        patch: { description: 'Replaces the given parts (trigger, task, importFields, onClose), each as in POST', requestBody: body(automationPatch), responses: { ...ok(automationConfig), ...errors } },
        delete: { description: 'Needs confirm: true (body or ?confirm=true); without it a 409 says what stops', responses: { '204': { description: 'deleted' }, ...errors } },
      },
      '/integrations/{id}/deliveries': {
        get: { parameters: query(deliveriesQuery), description: 'scenario only: what was done per record and action, and held records with the reason (?state=done|held|under-way, where started, the old word, is taken as under-way; ?record: one record\'s steps; ?limit, ?offset)', responses: { '200': { description: 'items: [{record, step, state, reason, inDoubt, retryRequested, output, attempts, updatedAt}]' }, ...errors } },
      },
      '/integrations/{id}/deliveries/retry': {
        post: { description: 'scenario only: runs held records again from their held step; confirm: true is required when a step is in doubt (409 otherwise)', requestBody: body(retryBody), responses: { '202': { description: '{released}' }, ...errors } },
      },
      '/integrations/{id}/preview': {
        post: {
          description:
            "sms-send only; sends nothing. ?rows=next (default): the messages the next run would send. ?rows=existing (&from, &limit): rows already in the sheet rendered with the template as it is now, or, for a row already sent, the message that went out and its state; with `columns` (the sheet's) and `problems` (the template's, against them). The body is optional: fields in it (a template being edited, another column…) stand in for the saved ones, and then every row shows what that draft would make of it. Each message has `length` {encoding, characters, segments}. 409 when the sheet account's Spreadsheets switch is off (`switchedOff` names it)",
          parameters: (['rows', 'from', 'limit'] as const).map((name) => ({ name, in: 'query', required: false, schema: json(previewQuery.shape[name]) })),
          requestBody: { required: false, content: { 'application/json': { schema: json(previewDraftBody) } } },
          responses: { '200': { description: '{count, messages: [{row, phone, text, state, reason, length}], columns?, problems?}' }, ...errors, '503': problem },
        },
      },
      '/integrations/{id}/test': {
        post: {
          description:
            "sms-send only: one real SMS to the given number, built from the first row the next run would send, or, with none, the first row already in the sheet; with `template`, rendered with it instead of the saved one. Returns 8x8's answer. 409 when a switch the integration uses is off on either account (`switchedOff` names it)",
          requestBody: body(smsTestBody),
          responses: { '200': { description: '{row, text, provider}' }, ...errors, '502': problem },
        },
      },
      '/sms-send/preview': {
        post: {
          description:
            "For an sms-send integration not saved yet: the first rows already in the sheet rendered with the template, as a run would render them ({count, messages: [{row, phone, text, state, reason, length}], columns, problems}). Sends nothing. 409 when the account's Spreadsheets switch is off (`switchedOff` names it)",
          requestBody: body(sheetPreviewBody),
          responses: { '200': { description: '{count, messages, columns, problems: [{kind, message, line, column}]}' }, ...errors, '502': problem },
        },
      },
      '/sms-send/schedule-preview': {
        post: {
          description: "When an sms-send schedule would run if saved now: the next five runs, each as an instant and as the clock in the time zone (times of day within 5 minutes of now start the next day); for {after: id}, the integration it follows",
          requestBody: body(schedulePreviewBody),
          responses: { ...ok(schedulePreviewView), ...errors },
        },
      },
      '/integrations/{id}/sample': {
        post: {
          description: "scenario only: a few recent records of the scenario's trigger, newest first, with the placeholder of each of their fields ({{record.…}}) to map into the actions. Commits nothing; the body may be left out",
          requestBody: { required: false, content: { 'application/json': { schema: json(sampleBody) } } },
          responses: { ...ok(sampleView), ...errors, '502': problem },
        },
      },
      '/scenarios/sample': {
        post: {
          description: "The same for a scenario not saved yet: the trigger's account, the trigger and its input. A trigger the system lacks or a bad input is a 422 naming the field",
          requestBody: body(draftSampleBody),
          responses: { ...ok(sampleView), ...errors, '502': problem },
        },
      },
      '/integrations/{id}/runs': { get: { parameters: query(smsListQuery, ['limit', 'offset']), description: 'sms-send only: runs, newest first (?limit, ?offset)', responses: { '200': { description: 'items: [{trigger, triggeredBy, startedAt, finishedAt, rowsRead, sent, rejected, failed, error}]' }, ...errors } } },
      '/integrations/{id}/webhook-secret/rotate': {
        post: {
          description: "sms-send only: a new secret in this integration's delivery-receipt URL, answered once as {receiptUrl}; receipts to the old URL are refused (404) from now on, other integrations keep theirs, and the next send gives 8x8 the new URL",
          responses: { ...ok(z.object({ id: z.uuid(), receiptUrl: z.string() })), ...errors },
        },
      },
      '/integrations/{id}/messages': { get: { parameters: query(smsListQuery), description: 'sms-send only: messages and their status (?state, ?limit, ?offset)', responses: { '200': { description: 'items: [{row, clientMessageId, phone, text, state, umid, reason, attempts}]' }, ...errors } } },
      '/oauth/{system}/start': {
        get: {
          description: "Starts connecting an account by OAuth 2 (authorization code with PKCE): answers 302 to the provider's consent page, with the same URL as {authorizeUrl} for programs that don't follow redirects (a 200 with {authorizeUrl} alone when Accept is application/json without HTML, as a page's script needs). 404 for a system without OAuth, 503 when its client id and secret are not configured",
          parameters: (['name', 'accountId', 'baseUrl', 'returnTo'] as const).map((name) => ({ name, in: 'query', required: false, schema: json(oauthStartQuery.shape[name]) })),
          responses: { '302': { description: 'redirect to the provider', content: { 'application/json': { schema: { type: 'object', properties: { authorizeUrl: { type: 'string' } } } } } }, ...errors, '503': problem },
        },
      },
      '/oauth/callback': {
        get: {
          security: [],
          parameters: query(callbackQuery),
          description: 'Where the provider sends the browser back (register it as the redirect URI): exchanges the code, stores the tokens sealed in the new or reconnected account and checks it. An HTML page (or, when the start named returnTo, a 303 back to that console path with ?connected=<account id>), or {accountId, account} with Accept: application/json; a denied consent or a bad or expired state is a 400',
          responses: { ...ok(z.object({ accountId: z.uuid(), account: accountView })), '400': problem, '404': problem, '502': problem, '503': problem },
        },
      },
      '/webhooks/8x8/{secret}': { post: { security: [], description: '8x8 delivery receipts; the secret in the URL is the only credential', requestBody: body(deliveryReceiptSchema), responses: { '200': { description: 'applied, already applied, or not ours' }, '400': problem, '404': problem } } },
      '/integrations/{id}/suggestions': {
        get: {
          description: "Values most used in the last 90 days of a NetHunt field (crm-automation only). 409 when the NetHunt account's CRM switch is off (`switchedOff` names it)",
          parameters: query(suggestionsQuery),
          responses: { '200': { description: 'items: [{value, records}]' }, ...errors },
        },
      },
      '/clients': {
        get: { description: 'Every API client, revoked ones too; never a token or its hash', responses: ok(z.object({ items: z.array(clientView) })) },
        post: { description: 'A new client: the answer carries its token, the only time it is shown', requestBody: body(createClientBody), responses: { ...ok(createdClientView, '201'), ...errors } },
      },
      '/clients/{id}': { delete: { description: "Revokes the client's token: it stops working at once on this API process, within 2 s on others", responses: { '204': { description: 'revoked' }, ...errors } } },
      '/audit': {
        get: {
          description: 'Changes made through the API (every request but GET), newest first, with the client that made them',
          parameters: (['clientId', 'limit', 'offset'] as const).map((name) => ({ name, in: 'query', required: false, schema: json(auditQuery.shape[name]) })),
          responses: { ...ok(z.object({ items: z.array(auditView) })), '422': problem },
        },
      },
    }),
  };
}
