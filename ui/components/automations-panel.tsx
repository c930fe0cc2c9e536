import { useState } from 'preact/hooks';
import { messageOf, type Api } from '../api-client';
import type { Automation, Integration, Suggestions } from '../api-types';
import { usePoll } from '../poll';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorMessage } from './error-message';

const valueText = (v: string | number | boolean) => (typeof v === 'string' ? `"${v}"` : String(v));

function taskInWords(a: Automation): string {
  const t = a.task;
  const extras = [
    t.assignee && `assigned to ${t.assignee}`,
    t.dueInDays !== undefined && `due ${t.dueInDays === 0 ? 'the same day' : `${t.dueInDays} day${t.dueInDays === 1 ? '' : 's'} later`}`,
    t.priority !== undefined && `priority ${t.priority}`,
    t.maxTime !== undefined && `${t.maxTime} planned hours`,
  ].filter(Boolean);
  return `creates the Worksection task "${t.title}" in project ${t.projectId}${extras.length ? `, ${extras.join(', ')}` : ''}`;
}

/** What the automation waits for, in words: the integration's own state first, then what blocks this one. */
function stateOf(integration: Integration, a: Automation): { words: string; blocked: string | null } {
  const blocked = integration.status?.blocked?.[a.id] ?? null;
  if (blocked) return { words: 'blocked', blocked };
  const s = integration.status?.state;
  if (s === 'paused') return { words: 'paused with the integration', blocked: null };
  if (s === 'failed' || s === 'stopped' || s === 'unknown') return { words: `not running: the integration is ${s === 'unknown' ? 'not answering' : s}`, blocked: null };
  return { words: 'active', blocked: null };
}

/**
 * A crm-automation's automations: trigger and task in words, the state and why one is blocked, and
 * on request the values most used in the trigger's field (NetHunt cannot list a field's values),
 * any of which can become the trigger's value.
 */
export function AutomationsPanel({ api, integration, onChanged }: { api: Api; integration: Integration; onChanged: () => Promise<void> }) {
  const base = `/integrations/${encodeURIComponent(integration.id)}`;
  const automations = usePoll(async () => (await api<{ items: Automation[] }>('GET', `${base}/automations`)).items, [api, base]);
  return (
    <section class="panel" aria-labelledby="automations-title">
      <h2 id="automations-title">Automations</h2>
      <ErrorMessage message={automations.error} />
      {automations.data?.length === 0 && <p>No automation.</p>}
      <div class="automations">
        {automations.data?.map((a) => (
          <AutomationCard key={a.id} api={api} base={base} integration={integration} automation={a} onChanged={async () => void (await Promise.all([automations.reload(), onChanged()]))} />
        ))}
      </div>
    </section>
  );
}

interface CardProps {
  api: Api;
  base: string;
  integration: Integration;
  automation: Automation;
  onChanged: () => Promise<void>;
}

function AutomationCard({ api, base, integration, automation: a, onChanged }: CardProps) {
  const [suggestions, setSuggestions] = useState<Suggestions | null>(null);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [using, setUsing] = useState<string | null>(null);
  const state = stateOf(integration, a);
  const titleId = `automation-${a.id}`;
  const suggest = async () => {
    setAsking(true);
    setError(null);
    try {
      const q = new URLSearchParams({ folder: a.trigger.folderId, field: a.trigger.field });
      setSuggestions(await api<Suggestions>('GET', `${base}/suggestions?${q}`));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setAsking(false);
    }
  };
  return (
    <article class="card automation" aria-labelledby={titleId}>
      <h3 id={titleId}>{a.id}</h3>
      <dl class="facts">
        <div class="wide">
          <dt>When</dt>
          <dd>
            a record of NetHunt folder {a.trigger.folderId} gets {a.trigger.field} = {valueText(a.trigger.value)}
          </dd>
        </div>
        <div class="wide">
          <dt>Then</dt>
          <dd>
            it {taskInWords(a)}
            {a.importFields.length > 0 && `, with ${a.importFields.join(', ')} in its description`}; when the task is closed, {a.onClose.field} is set to {valueText(a.onClose.value)}
          </dd>
        </div>
        <div class="wide">
          <dt>State</dt>
          <dd>
            <span class={state.blocked ? 'warn' : undefined}>{state.words}</span>
            {state.blocked && <span class="reason"> {state.blocked}</span>}
          </dd>
        </div>
      </dl>
      <div class="actions">
        <button type="button" disabled={asking} onClick={() => void suggest()} aria-label={`Suggest values of ${a.trigger.field} for ${a.id}`}>
          {asking ? 'Reading recent records…' : `Suggest values of ${a.trigger.field}`}
        </button>
      </div>
      <ErrorMessage message={error} />
      {suggestions && (
        <div class="suggestions">
          <p class="muted">
            Suggestions: the values of {suggestions.field} most used in {suggestions.basedOnRecords} record{suggestions.basedOnRecords === 1 ? '' : 's'} changed in the last 90 days.
          </p>
          {suggestions.items.length === 0 ? (
            <p>No record has a value in {suggestions.field}.</p>
          ) : (
            <ul aria-label={`Suggested values of ${suggestions.field}`}>
              {suggestions.items.map((s) => (
                <li class="suggestion">
                  <span>
                    {valueText(s.value)} <span class="reason">({s.records} record{s.records === 1 ? '' : 's'})</span>
                  </span>
                  {String(a.trigger.value) === s.value ? (
                    <span class="muted"> the trigger's value</span>
                  ) : (
                    <button type="button" class="link" onClick={() => setUsing(s.value)} aria-label={`Use as trigger value: ${valueText(s.value)} for ${a.id}`}>
                      Use as trigger value
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {using !== null && (
        <ConfirmDialog
          title={`Start ${a.id} on ${valueText(using)}?`}
          confirmLabel="Change the trigger"
          onClose={() => setUsing(null)}
          onConfirm={async () => {
            await api('PATCH', `${base}/automations/${encodeURIComponent(a.id)}`, { trigger: { ...a.trigger, value: using } });
            setSuggestions(null);
            await onChanged();
          }}
        >
          <p>
            From the next poll on, records whose {a.trigger.field} becomes {valueText(using)} get a task; the tasks already created for {valueText(a.trigger.value)} stay.
          </p>
        </ConfirmDialog>
      )}
    </article>
  );
}
