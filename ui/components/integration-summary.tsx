import type { Integration } from '../api-types';
import { when } from '../format';
import { countsInWords } from '../integrations-data';
import { StatusBadge } from './status-badge';

/** State and why, last and next run, counts in the kind's own words, last error. */
export function IntegrationSummary({ integration }: { integration: Integration }) {
  const s = integration.status;
  const counts = countsInWords(integration, s?.counts);
  return (
    <dl class="facts">
      <div>
        <dt>State</dt>
        <dd>
          <StatusBadge state={s?.state ?? 'unknown'} />
          {s?.state === 'unknown' && s.reason && <span class="reason"> {s.reason}</span>}
          {s?.state === 'failed' && s.lastError && <span class="reason"> {s.lastError.message}</span>}
          {s?.blocked &&
            Object.entries(s.blocked).map(([what, why]) => (
              <span class="reason">
                {' '}
                {what}: {why}
              </span>
            ))}
        </dd>
      </div>
      <div>
        <dt>Last run</dt>
        <dd>{when(s?.lastRunFinishedAt ?? s?.lastRunStartedAt)}</dd>
      </div>
      <div>
        <dt>Next run</dt>
        <dd>{s?.state === 'paused' ? 'paused' : when(s?.nextRunAt)}</dd>
      </div>
      <div>
        <dt>Runs</dt>
        <dd>{s?.runs ?? '—'}</dd>
      </div>
      <div class="wide">
        <dt>Counts</dt>
        <dd>
          {counts.length === 0 ? (
            '—'
          ) : (
            <ul class="counts">
              {counts.map((c) => (
                <li title={c.label}>
                  <span class="count-value">{c.value}</span> <span class="count-label">{c.label}</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
      <div class="wide">
        <dt>Last error</dt>
        <dd>{s?.lastError ? `${s.lastError.message} (${when(s.lastError.at)})` : 'none'}</dd>
      </div>
    </dl>
  );
}
