import { connectAccount } from '../connectors/accounts/open-account';
import { latestRecords } from '../connectors/kit/sample';
import type { AccountRow } from '../db/schema';
import { getConnector } from '../connectors/registry';
import type { ApiDeps } from './deps';
import { unprocessable } from './problem';
import { answerOrProblem } from './provider-problem';

export interface SampleField {
  /** The placeholder that maps it into an action's input: {{record.properties.Name}}. */
  placeholder: string;
  example: unknown;
}

export interface Sample {
  system: string;
  trigger: string;
  records: { id: string; data: unknown }[];
  /** Every field of the records, by the placeholder that maps it, with the newest record's value. */
  fields: SampleField[];
}

const MAX_DEPTH = 6;

function leaves(value: unknown, path: string, depth: number, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && depth < MAX_DEPTH) {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length > 0) {
      for (const [k, v] of entries) leaves(v, `${path}.${k}`, depth + 1, out);
      return;
    }
  }
  if (!out.has(path)) out.set(path, value);
}

/**
 * A few recent records of a trigger, newest first, with the placeholders of their fields: what a
 * person maps into the actions. Asks the provider through the account's limiter and commits no
 * cursor, so the integration's own runs are untouched.
 */
export async function sampleTrigger(deps: ApiDeps, account: AccountRow, triggerName: string, input: Record<string, unknown>, limit: number, fieldPrefix: string): Promise<Sample> {
  const connector = getConnector(account.system);
  const trigger = connector && Object.hasOwn(connector.triggers, triggerName) ? connector.triggers[triggerName] : undefined;
  if (!connector || !trigger) {
    throw unprocessable([{ field: `${fieldPrefix}trigger`, message: `${connector?.name ?? account.system} has no trigger "${triggerName}"; its triggers are ${Object.keys(connector?.triggers ?? {}).map((t) => `"${t}"`).join(', ') || 'none'}` }]);
  }
  const parsed = trigger.input.safeParse(input);
  if (!parsed.success) throw unprocessable(parsed.error.issues.map((i) => ({ field: [`${fieldPrefix}input`, ...i.path.map(String)].join('.'), message: i.message })));

  const ctx = connectAccount(deps, connector, account, { timeoutMs: 30_000 });
  const records = await answerOrProblem(ctx, connector.name, `${fieldPrefix}input`, () =>
    trigger.sample ? trigger.sample(ctx, input, limit) : latestRecords((cursor) => trigger.poll(ctx, input, cursor), limit),
  );
  const fields = new Map<string, unknown>();
  for (const r of records) leaves(r.data, 'record', 0, fields);
  return {
    system: connector.id,
    trigger: triggerName,
    records: records.map((r) => ({ id: r.id, data: r.data })),
    fields: [...fields].map(([path, example]) => ({ placeholder: `{{${path}}}`, example })),
  };
}
