import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');
const { History } = temporal.api.history.v1;

/**
 * With RECORD_HISTORIES=1, a test saves the history of a workflow it drove into test/histories/,
 * where replay.test.ts replays it against the current workflow code. Re-record (and check in)
 * only for a deliberate change guarded by patched(); otherwise a failing replay is the point.
 *
 * Stored with protobufjs's own toJSON (bytes as base64, int64 as strings), not the SDK's
 * historyToJSON: that one needs a single protobufjs instance, and npm nests three here.
 */
export async function recordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), `${JSON.stringify(History.fromObject(history).toJSON())}\n`);
}

export function loadHistories(): { workflowId: string; history: temporal.api.history.v1.History }[] {
  return fs
    .readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: History.fromObject(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, f), 'utf8')) as Record<string, unknown>) }));
}

/** Every string in a Temporal history or description, payloads decoded (they are JSON bytes, not text, in the proto). */
export function historyText(value: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') parts.push(v, Buffer.from(v, 'base64').toString('utf8'));
    else if (v instanceof Uint8Array) parts.push(Buffer.from(v).toString('utf8'));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return parts.join('\n');
}
