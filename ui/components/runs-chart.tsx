import type { SmsRun } from '../api-types';
import { when } from '../format';

const W = 600;
const H = 160;
const PAD = 24;

/**
 * Sent and failed per run over time, oldest left: plain SVG (no chart library). The table below
 * carries the same numbers for screen readers; the chart is a picture with a summary.
 */
export function RunsChart({ runs }: { runs: SmsRun[] }) {
  const ordered = [...runs].reverse();
  if (ordered.length === 0) return null;
  const max = Math.max(1, ...ordered.map((r) => r.sent + r.failed + r.rejected));
  const step = (W - 2 * PAD) / ordered.length;
  // A few runs stay bars, not walls.
  const bar = Math.min(40, Math.max(2, step * 0.7));
  const y = (v: number) => ((H - 2 * PAD) * v) / max;
  const total = ordered.reduce((n, r) => n + r.sent, 0);
  const failed = ordered.reduce((n, r) => n + r.failed + r.rejected, 0);
  const summary = `${ordered.length} runs from ${when(ordered[0]!.startedAt)} to ${when(ordered.at(-1)!.startedAt)}: ${total} sent, ${failed} failed or rejected; at most ${max} in one run.`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} class="axis" />
        {ordered.map((r, n) => {
          const x = PAD + n * step + (step - bar) / 2;
          const sent = y(r.sent);
          const bad = y(r.failed + r.rejected);
          return (
            <g key={r.id}>
              <rect x={x} y={H - PAD - sent} width={bar} height={sent} class="bar-sent" />
              <rect x={x} y={H - PAD - sent - bad} width={bar} height={bad} class="bar-failed" />
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span class="legend legend-sent" aria-hidden="true" /> sent <span class="legend legend-failed" aria-hidden="true" /> failed or rejected · {summary}
      </figcaption>
    </figure>
  );
}
