import { useState } from 'preact/hooks';
import { ApiError, messageOf, type Api } from '../api-client';
import type { Delivery } from '../api-types';
import { when } from '../format';
import { usePoll } from '../poll';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorMessage } from './error-message';

const PAGE = 100;
const MOST = 1000;

type RecordState = 'held' | 'in-doubt' | 'retry-requested' | 'under-way' | 'delivered';

const WORDS: Record<RecordState, string> = {
  held: 'held',
  'in-doubt': 'in doubt',
  'retry-requested': 'retry requested',
  'under-way': 'being sent',
  delivered: 'delivered',
};

interface RecordView {
  record: string;
  state: RecordState;
  /** The steps that hold the record (all of its steps once it is through). */
  steps: Delivery[];
  at: string;
}

/** "1:create-document" → "action 1 (create-document)", as the reasons name steps. */
const stepInWords = (step: string) => step.replace(/^(\d+):(.*)$/, 'action $1 ($2)');

function viewOf(record: string, steps: Delivery[]): RecordView {
  const held = steps.filter((s) => s.state === 'held');
  const state: RecordState = held.some((s) => s.retryRequested)
    ? 'retry-requested'
    : held.some((s) => s.inDoubt)
      ? 'in-doubt'
      : held.length > 0
        ? 'held'
        : steps.some((s) => s.state === 'under-way')
          ? 'under-way'
          : 'delivered';
  const at = steps.map((s) => s.updatedAt).sort().at(-1) ?? '';
  return { record, state, steps: held.length > 0 ? held : steps, at };
}

function byRecord(rows: Delivery[]): Map<string, Delivery[]> {
  const map = new Map<string, Delivery[]>();
  for (const r of rows) map.set(r.record, [...(map.get(r.record) ?? []), r]);
  return map;
}

interface Asking {
  /** The records to retry; none: all held ones. */
  records?: string[];
  /** Why it is asked: the steps in doubt, or the API's own words. */
  why: string;
}

/**
 * A scenario's held records with the reason, and a retry: one by one or all. A step in doubt may
 * already have been carried out, so its retry asks first. Records retried here stay on the list,
 * followed until they are through.
 */
export function HeldRecordsPanel({ api, integrationId, onRetried }: { api: Api; integrationId: string; onRetried: () => Promise<void> }) {
  const [limit, setLimit] = useState(PAGE);
  const [retried, setRetried] = useState<string[]>([]);
  const [asking, setAsking] = useState<Asking | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const base = `/integrations/${encodeURIComponent(integrationId)}/deliveries`;
  const records = usePoll(async () => {
    const held = byRecord((await api<{ items: Delivery[] }>('GET', `${base}?state=held&limit=${limit}`)).items);
    const followed = retried.filter((r) => !held.has(r));
    const steps = await Promise.all(followed.map((r) => api<{ items: Delivery[] }>('GET', `${base}?record=${encodeURIComponent(r)}`)));
    return [...[...held].map(([r, s]) => viewOf(r, s)), ...followed.map((r, n) => viewOf(r, steps[n]!.items))];
  }, [api, base, limit, retried.join('\n')]);

  const retry = async (wanted: string[] | undefined, confirm: boolean) => {
    const answer = await api<{ released: number }>('POST', `${base}/retry`, { ...(wanted && { records: wanted }), ...(confirm && { confirm: true }) });
    const shown = records.data?.filter((r) => r.state === 'held' || r.state === 'in-doubt').map((r) => r.record) ?? [];
    setRetried([...new Set([...retried, ...(wanted ?? shown)])]);
    setDone(answer.released === 0 ? 'Nothing was held any more.' : `Retry requested for ${answer.released === 1 ? '1 step' : `${answer.released} steps`}: the integration runs now and sends ${answer.released === 1 ? 'it' : 'them'} again.`);
    await onRetried();
  };

  /** Asks first when a step is in doubt (as shown, or as the API says when it knows better). */
  const start = async (wanted: string[] | undefined) => {
    setError(null);
    setDone(null);
    const shown = (records.data ?? []).filter((r) => (wanted ? wanted.includes(r.record) : true) && r.state === 'in-doubt');
    if (shown.length > 0) {
      const steps = shown.flatMap((r) => r.steps.filter((s) => s.inDoubt).map((s) => `${r.record}: ${stepInWords(s.step)}`));
      setAsking({ records: wanted, why: `In doubt: ${steps.join('; ')}.` });
      return;
    }
    try {
      await retry(wanted, false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setAsking({ records: wanted, why: e.message });
      else setError(messageOf(e));
    }
  };

  const items = records.data;
  const retryable = items?.filter((r) => r.state === 'held' || r.state === 'in-doubt') ?? [];
  return (
    <section class="panel" aria-labelledby="held-title">
      <h2 id="held-title">Held records</h2>
      <p class="muted">Records a step could not be carried out for, with the reason. Fix the cause, then retry: the record goes on from its held step.</p>
      <ErrorMessage message={records.error ?? error} />
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      {items && items.length === 0 && <p>No record is held.</p>}
      {items && items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Held records">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Record</th>
                <th scope="col">State</th>
                <th scope="col">Step</th>
                <th scope="col">Reason</th>
                <th scope="col">When</th>
                <th scope="col">
                  <span class="visually-hidden">Retry</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.record}>
                  <th scope="row">{r.record}</th>
                  <td class={`record-${r.state}`}>{WORDS[r.state]}</td>
                  <td>{r.state === 'delivered' ? `all ${r.steps.length} done` : r.steps.map((s) => stepInWords(s.step)).join(', ')}</td>
                  <td>{r.state === 'delivered' ? '' : r.steps.map((s) => s.reason ?? '').join(' ')}</td>
                  <td>{when(r.at)}</td>
                  <td>
                    {(r.state === 'held' || r.state === 'in-doubt') && (
                      <button type="button" onClick={() => void start([r.record])} aria-label={`Retry ${r.record}`}>
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="actions">
        {retryable.length > 1 && (
          <button type="button" onClick={() => void start(undefined)}>
            Retry all held records
          </button>
        )}
        {items && items.length >= limit && limit < MOST && (
          <button type="button" onClick={() => setLimit(Math.min(limit + PAGE, MOST))}>
            Show more held records
          </button>
        )}
      </div>
      {asking && (
        <ConfirmDialog
          title={asking.records?.length === 1 ? `Retry ${asking.records[0]}?` : 'Retry all held records?'}
          confirmLabel="Retry anyway"
          danger
          onClose={() => setAsking(null)}
          onConfirm={() => retry(asking.records, true)}
        >
          <p>{asking.why}</p>
          <p class="warn">
            A step in doubt may already have been carried out at the target: the worker stopped or the answer was lost while it was under way. Retrying it may create a duplicate at the target
            (a second customer, invoice or message).
          </p>
          <p>Check in the target system first; retry only if it is missing there.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
