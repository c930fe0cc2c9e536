import type { SmsRun } from '../api-types';
import { when } from '../format';

export function RunsTable({ runs }: { runs: SmsRun[] }) {
  if (runs.length === 0) return <p>No run yet.</p>;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Runs, newest first">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Trigger</th>
            <th scope="col">Rows read</th>
            <th scope="col">Sent</th>
            <th scope="col">Rejected</th>
            <th scope="col">Failed</th>
            <th scope="col">Duration</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>{when(r.startedAt)}</td>
              <td>{r.trigger}</td>
              <td>{r.rowsRead}</td>
              <td>{r.sent}</td>
              <td>{r.rejected}</td>
              <td>{r.failed}</td>
              <td>{r.finishedAt ? `${((Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)} s` : 'running'}</td>
              <td>{r.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
