import { z } from 'zod';
import { FUNCTIONALITIES, SYSTEM_IDS } from '../connectors/kit/types';
import { API_ROLES } from '../db/schema';
import { KIND_NAMES } from '../kinds';

const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' });
const name = z.string().trim().min(1, 'must not be empty').max(200);

export const createAccountBody = z
  .object({
    system: z.enum(SYSTEM_IDS),
    name,
    baseUrl: httpUrl.optional().describe("The provider's API address; defaults to the system's real one"),
    limits: z.record(z.string(), z.number().int().positive()).optional().describe("Overrides of the provider's documented limits for this plan"),
    credentials: z.record(z.string(), z.unknown()).describe("The system's credential fields (see GET /systems); write-only"),
  })
  .strict();

export const updateAccountBody = z
  .object({
    name: name.optional(),
    baseUrl: httpUrl.optional(),
    limits: z.record(z.string(), z.number().int().positive()).optional(),
    credentials: z.record(z.string(), z.unknown()).optional().describe('Replaces all credentials; the account becomes unchecked'),
  })
  .strict();

export const accountView = z.object({
  id: z.uuid(),
  system: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  limits: z.record(z.string(), z.number()),
  status: z.enum(['unchecked', 'active', 'inactive']),
  statusReason: z.string().nullable(),
  functionalities: z.partialRecord(z.enum(FUNCTIONALITIES), z.boolean()).describe("The hub's toggles: every functionality of the account's system, on or off"),
  checkedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const accountRef = z.object({ accountId: z.uuid('an account id (UUID)') }).strict();

export const createIntegrationBody = z
  .object({
    kind: z.enum(KIND_NAMES),
    name,
    source: accountRef,
    target: accountRef,
    config: z.record(z.string(), z.unknown()),
  })
  .strict();

export const updateIntegrationBody = z
  .object({
    name: name.optional(),
    config: z.record(z.string(), z.unknown()).optional().describe('Fields to change; the others keep their values; null removes an optional field'),
  })
  .strict();

export const integrationView = z.object({
  id: z.uuid(),
  kind: z.string(),
  name: z.string(),
  source: z.object({ accountId: z.uuid() }),
  target: z.object({ accountId: z.uuid() }),
  config: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
  workflowId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.unknown().optional().describe('Live status from the workflow: state, cursor, counts, last run, next run, last error'),
  countLabels: z
    .record(z.string(), z.string())
    .optional()
    .describe("What each of the status counts means for this kind, in its own words (e.g. order-sync's held: orders whose status is not in the map)"),
});

export const createClientBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100).describe('Who the client is, as the audit log will show it; unique among live clients'),
    role: z.enum(API_ROLES).describe('viewer: reads; operator: also creates, changes and runs integrations; admin: also accounts, OAuth, toggles, clients and the audit log'),
  })
  .strict();

export const clientView = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(API_ROLES),
  createdBy: z.string().describe('The name of the client that created it'),
  createdAt: z.string(),
  revokedAt: z.string().nullable().describe('When its token stopped working; null while live'),
});

export const createdClientView = clientView.extend({ token: z.string().describe('The bearer token: shown this once, stored only as a hash') });

export const auditQuery = z.object({
  clientId: z.string().min(1).optional().describe('Only this client\'s changes ("bootstrap" for the built-in admin)'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const auditView = z.object({
  at: z.string(),
  client: z.object({ id: z.string(), name: z.string() }),
  method: z.string(),
  path: z.string(),
  status: z.number().int(),
  resourceId: z.string().nullable(),
  requestId: z.string().nullable(),
});
