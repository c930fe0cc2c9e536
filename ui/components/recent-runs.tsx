import type { Integration, RunRecord } from '../api-types';
import { when } from '../format';
import { countsInWords } from '../integrations-data';

const W = 600;
const H = 160;
const PAD = 24;

const seconds = (r: RunRecord) => `${((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)} s`;

/**
 * The runs an integration's workflow keeps in its status (the last 30), for the kinds whose runs
 * no table holds: items read and items that failed per run as bars, oldest left, then a table of
 * each run with its counts in the kind's words, its duration and its error. The SVG is a picture
 * with a summary; the table carries the numbers for screen readers.
 */
export function RecentRuns({ integration }: { integration: Integration }) {
  const runs = integration.status?.recentRuns ?? [];
  if (runs.length === 0) return <p>No run has finished yet.</p>;
  const max = Math.max(1, ...runs.map((r) => r.counts.fetched));
  const step = (W - 2 * PAD) / runs.length;
  const bar = Math.min(40, Math.max(2, step * 0.7));
  const y = (v: number) => ((H - 2 * PAD) * Math.min(v, max)) / max;
  const read = integration.countLabels?.fetched ?? 'read';
  const failedWord = integration.countLabels?.failed ?? 'failed';
  const failures = runs.filter((r) => r.outcome === 'failed').length;
  const summary = `${runs.length} ${runs.length === 1 ? 'run' : 'runs'} from ${when(runs[0]!.startedAt)} to ${when(runs.at(-1)!.startedAt)}: ${runs.reduce((n, r) => n + r.counts.fetched, 0)} ${read}, ${runs.reduce((n, r) => n + r.counts.failed, 0)} ${failedWord}; ${failures} ${failures === 1 ? 'run' : 'runs'} failed.`;
  const labels = countsInWords(integration, runs.at(-1)!.counts);
  return (
    <>
      <figure class="chart">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="none">
          <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} class="axis" />
          {runs.map((r, n) => {
            const x = PAD + n * step + (step - bar) / 2;
            const ok = y(r.counts.fetched - r.counts.failed);
            const bad = y(r.counts.failed) || (r.outcome === 'failed' ? 4 : 0);
            return (
              <g key={r.startedAt}>
                <rect x={x} y={H - PAD - ok} width={bar} height={ok} class="bar-sent" />
                <rect x={x} y={H - PAD - ok - bad} width={bar} height={bad} class="bar-failed" />
              </g>
            );
          })}
        </svg>
        <figcaption>
          <span class="legend legend-sent" aria-hidden="true" /> {read} <span class="legend legend-failed" aria-hidden="true" /> {failedWord} or a failed run · {summary}
        </figcaption>
      </figure>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Runs, newest first">
        <table class="table runs">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Why</th>
              {labels.map((c) => (
                <th scope="col" key={c.key}>
                  {c.label}
                </th>
              ))}
              <th scope="col">Duration</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {[...runs].reverse().map((r) => (
              <tr key={r.startedAt}>
                <td>{when(r.startedAt)}</td>
                <td>{r.reason}</td>
                {labels.map((c) => (
                  <td key={c.key}>{r.counts[c.key]}</td>
                ))}
                <td>{seconds(r)}</td>
                <td>{r.outcome === 'failed' ? `failed: ${r.error ?? ''}` : r.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
