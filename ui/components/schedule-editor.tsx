import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, messageOf, type Api } from '../api-client';
import type { Integration } from '../api-types';
import { useLatestAnswer } from '../latest-answer';
import type { SchedulePreview, SmsSchedule } from '../sms-send-types';

type Mode = 'every' | 'times' | 'after';

/** Every zone the browser knows, with the ones in use kept even if it does not list them (UTC often). */
function zoneNames(extra: string[]): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...extra.filter(Boolean), 'UTC', ...known])].sort();
}

export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * When an SMS integration runs: every N minutes, at times of day, or after another integration,
 * in a time zone; under it the next five runs as the API computes them (the 5-minute rule for a
 * time of day included), asked again as the user edits. The times come from the server, which
 * is what the workflow will use, never from the browser's own reckoning.
 */
export function ScheduleEditor(props: {
  api: Api;
  id: string;
  value: SmsSchedule;
  onChange: (schedule: SmsSchedule) => void;
  timeZone: string;
  onTimeZone: (zone: string) => void;
  backfill: boolean;
  /** The integration being edited: it cannot run after itself. */
  selfId: string | null;
  /** Reasons the API gave when saving, by field (config.schedule…, config.timeZone). */
  errors: { schedule?: string | null; timeZone?: string | null };
}) {
  const { value, id } = props;
  const mode: Mode = 'every' in value ? 'every' : 'times' in value ? 'times' : 'after';
  // What each shape held, so switching back and forth loses nothing typed.
  const [kept, setKept] = useState({ every: 'every' in value ? value.every : 60, times: 'times' in value ? value.times : ['09:00'], after: 'after' in value ? value.after : '' });
  const switchTo = (m: Mode) => props.onChange(m === 'every' ? { every: kept.every } : m === 'times' ? { times: kept.times } : { after: kept.after });
  const change = (next: SmsSchedule) => {
    setKept((k) => ({ ...k, ...next }));
    props.onChange(next);
  };

  const [others, setOthers] = useState<Integration[] | null>(null);
  const [othersError, setOthersError] = useState<string | null>(null);
  useEffect(() => {
    if (mode !== 'after' || others) return;
    props.api<{ items: Integration[] }>('GET', '/integrations').then((r) => setOthers(r.items.filter((i) => i.id !== props.selfId)), (e: unknown) => setOthersError(messageOf(e)));
  }, [mode]);

  const zones = useMemo(() => zoneNames([props.timeZone, browserTimeZone()]), [props.timeZone]);
  const body = { schedule: value, timeZone: props.timeZone, backfill: props.backfill };
  const incomplete = mode === 'after' && !('after' in value && value.after);
  const runs = useLatestAnswer(JSON.stringify(body), incomplete ? null : () => props.api<SchedulePreview>('POST', '/sms-send/schedule-preview', body));
  const answerErrors = runs.error instanceof ApiError ? (runs.error.problem.errors ?? []) : [];
  const scheduleError = props.errors.schedule ?? (answerErrors.find((e) => e.field.startsWith('schedule'))?.message || null);
  const zoneError = props.errors.timeZone ?? (answerErrors.find((e) => e.field === 'timeZone')?.message || null);
  const otherError = runs.error && answerErrors.length === 0 ? runs.message : null;

  return (
    <fieldset class="schedule-editor">
      <legend>Schedule</legend>
      <div class="choices" role="radiogroup" aria-label="When to run">
        {(
          [
            ['every', 'Every N minutes'],
            ['times', 'At times of day'],
            ['after', 'After another integration'],
          ] as const
        ).map(([m, label]) => (
          <label key={m} class="choice">
            <input type="radio" name={`${id}-mode`} value={m} checked={mode === m} onChange={() => switchTo(m)} />
            {label}
          </label>
        ))}
      </div>

      {'every' in value && (
        <p class="field">
          <label for={`${id}-every`}>Minutes between runs</label>
          <input
            id={`${id}-every`}
            type="number"
            min={1}
            max={10080}
            step={1}
            value={Number.isFinite(value.every) ? value.every : ''}
            aria-invalid={scheduleError ? true : undefined}
            aria-describedby={scheduleError ? `${id}-schedule-error` : undefined}
            onInput={(e) => change({ every: e.currentTarget.value === '' ? Number.NaN : Number(e.currentTarget.value) })}
          />
        </p>
      )}

      {'times' in value && (
        <div class="field">
          <span class="label" id={`${id}-times-label`}>
            Times of day
          </span>
          <ul class="times" aria-labelledby={`${id}-times-label`}>
            {value.times.map((t, i) => (
              <li key={i}>
                <label class="visually-hidden" for={`${id}-time-${i}`}>
                  Time of day {i + 1}
                </label>
                <input
                  id={`${id}-time-${i}`}
                  type="time"
                  value={t}
                  aria-invalid={scheduleError ? true : undefined}
                  onInput={(e) => change({ times: value.times.map((x, j) => (j === i ? e.currentTarget.value : x)) })}
                />
                <button type="button" disabled={value.times.length === 1} aria-label={`Remove time of day ${i + 1}`} onClick={() => change({ times: value.times.filter((_, j) => j !== i) })}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <p>
            <button type="button" onClick={() => change({ times: [...value.times, nextFreeTime(value.times)] })}>
              Add a time of day
            </button>
          </p>
          <span class="hint">Daily, in the time zone below. A time 5 minutes or less after saving first runs the next day.</span>
        </div>
      )}

      {'after' in value && (
        <p class="field">
          <label for={`${id}-after`}>Run after each completed run of</label>
          <select id={`${id}-after`} value={value.after} disabled={!others} aria-invalid={scheduleError ? true : undefined} aria-describedby={scheduleError ? `${id}-schedule-error` : undefined} onChange={(e) => change({ after: e.currentTarget.value })}>
            <option value="">{others ? (others.length ? 'Choose an integration…' : 'No other integration yet') : 'Loading integrations…'}</option>
            {(others ?? []).map((i) => (
              <option key={i.id} value={i.id}>
                {i.name} ({i.kind})
              </option>
            ))}
          </select>
          {othersError && <span class="field-error">{othersError}</span>}
        </p>
      )}
      {scheduleError && (
        <p id={`${id}-schedule-error`} class="field-error">
          {scheduleError}
        </p>
      )}

      <p class="field">
        <label for={`${id}-zone`}>Time zone</label>
        <select id={`${id}-zone`} value={props.timeZone} aria-invalid={zoneError ? true : undefined} aria-describedby={zoneError ? `${id}-zone-error` : `${id}-zone-hint`} onChange={(e) => props.onTimeZone(e.currentTarget.value)}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
        <span id={`${id}-zone-hint`} class="hint">
          For the times of day and the {'{{date}}'} and {'{{time}}'} in the message.
        </span>
        {zoneError && (
          <span id={`${id}-zone-error`} class="field-error">
            {zoneError}
          </span>
        )}
      </p>

      <section class="next-runs" aria-labelledby={`${id}-runs-title`} aria-busy={runs.loading ? true : undefined}>
        <h3 id={`${id}-runs-title`}>{'after' in value ? 'When it runs' : `Next five runs (${runs.data?.timeZone ?? props.timeZone}), if saved now`}</h3>
        <div aria-live="polite">
          {otherError && <p class="field-error">{otherError}</p>}
          {incomplete && <p class="muted">Choose the integration it follows.</p>}
          {runs.data?.after && (
            <p>
              After each completed run of {runs.data.after.name} ({runs.data.after.kind}): it has no times of its own.
            </p>
          )}
          {runs.data && runs.data.runs.length > 0 && (
            <ol class="runs-list">
              {runs.data.runs.map((r) => (
                <li key={r.at}>
                  <time dateTime={r.at}>
                    {r.weekday} {r.local}
                  </time>
                </li>
              ))}
            </ol>
          )}
        </div>
      </section>
    </fieldset>
  );
}

/** A new time of day an hour after the last one, so two rows never start out equal. */
function nextFreeTime(times: string[]): string {
  const last = times[times.length - 1] ?? '08:00';
  const [h, m] = last.split(':').map(Number);
  for (let step = 1; step <= 24; step++) {
    const candidate = `${String(((h ?? 8) + step) % 24).padStart(2, '0')}:${String(m ?? 0).padStart(2, '0')}`;
    if (!times.includes(candidate)) return candidate;
  }
  return '12:00';
}
