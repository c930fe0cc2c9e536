import { z } from 'zod';
import { connectors } from '../connectors/registry';
import { FUNCTIONALITIES, type AnyConnector } from '../connectors/kit/types';

type JsonSchema = Record<string, unknown>;
const jsonSchema = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** Credential fields as JSON Schema; secret ones are write-only and flagged for forms to mask. */
function authSchema(connector: AnyConnector): JsonSchema {
  const schema = jsonSchema(connector.auth.schema);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const field of connector.auth.secretFields) {
    if (properties[field]) properties[field] = { ...properties[field], writeOnly: true, 'x-secret': true };
  }
  return schema;
}

export const systemView = z.object({
  id: z.string(),
  name: z.string(),
  functionalities: z.array(z.enum(FUNCTIONALITIES)),
  defaultBaseUrl: z.string(),
  hosts: z.array(z.string()).describe("Hosts an account's base URL may point at (https only); EGRESS_ALLOW on the server adds others"),
  auth: z.object({
    type: z.string(),
    oauth: z.boolean().describe('Whether accounts may also connect by OAuth (GET /oauth/{system}/start), whatever `type` says: Worksection takes its admin key or OAuth'),
    secretFields: z.array(z.string()),
    schema: z.record(z.string(), z.unknown()),
  }),
  limits: z.array(z.object({ name: z.string(), limit: z.number().nullable(), windowMs: z.number(), description: z.string() })),
  actions: z.array(z.object({ key: z.string(), name: z.string(), description: z.string(), input: z.record(z.string(), z.unknown()) })),
  triggers: z.array(z.object({ key: z.string(), name: z.string(), description: z.string(), input: z.record(z.string(), z.unknown()) })),
  lookups: z
    .array(z.object({ key: z.string(), name: z.string(), description: z.string(), input: z.record(z.string(), z.unknown()) }))
    .describe('Lists for forms: GET /accounts/{id}/lookups/{key}, with `input` as query parameters'),
});
export type SystemView = z.infer<typeof systemView>;

function describe(connector: AnyConnector): SystemView {
  return {
    id: connector.id,
    name: connector.name,
    functionalities: [...connector.functionalities],
    defaultBaseUrl: connector.defaultBaseUrl,
    hosts: [...connector.hosts],
    auth: { type: connector.auth.type, oauth: connector.oauth !== undefined, secretFields: [...connector.auth.secretFields], schema: authSchema(connector) },
    limits: Object.entries(connector.limits).map(([name, spec]) => ({ name, ...spec })),
    actions: Object.entries(connector.actions).map(([key, a]) => ({ key, name: a.name, description: a.description, input: jsonSchema(a.input) })),
    triggers: Object.entries(connector.triggers).map(([key, t]) => ({ key, name: t.name, description: t.description, input: jsonSchema(t.input) })),
    lookups: Object.entries(connector.lookups).map(([key, l]) => ({ key, name: l.name, description: l.description, input: jsonSchema(l.input) })),
  };
}

let cached: SystemView[] | undefined;
/** The catalogue never changes while the process runs: built once, on first use. */
export function catalogue(): SystemView[] {
  cached ??= Object.values(connectors).map(describe);
  return cached;
}
