import type { TriggerSample } from '../api-types';
import { exampleText } from '../placeholder-preview';
import { ErrorMessage } from './error-message';

/** `{{record.properties.Name}}` → `properties.Name`, the way the user reads a field. */
export const fieldName = (placeholder: string) => placeholder.replace(/^\{\{\s*record\.?/, '').replace(/\s*\}\}$/, '');

/**
 * "Fetch a sample": the trigger's newest record, field by field, as the actions' inputs can map it.
 * The fetch asks the provider for a few recent records and moves no cursor.
 */
export function SampleRecord(props: { sample: TriggerSample | null; busy: boolean; error: string | null; onFetch: () => void; waitingFor: string | null }) {
  const { sample } = props;
  return (
    <section class="sample-record" aria-labelledby="sample-title">
      <h3 id="sample-title">Sample record</h3>
      <div class="actions">
        <button type="button" onClick={props.onFetch} disabled={props.busy || !!props.waitingFor} aria-describedby="sample-hint">
          {props.busy ? 'Fetching…' : sample ? 'Fetch again' : 'Fetch a sample'}
        </button>
      </div>
      <p id="sample-hint" class="hint">
        {props.waitingFor ?? 'Reads the trigger’s newest records (nothing is run or marked as seen), so its fields can be mapped into the actions.'}
      </p>
      <ErrorMessage message={props.error} />
      {sample && sample.records.length === 0 && <p class="notice notice-warn">The trigger has no records yet: add one at the source and fetch again, or type the placeholders.</p>}
      {sample && sample.records.length > 0 && (
        <div class="table-scroll">
          <table class="table sample-fields">
            <caption class="hint">
              Newest of {sample.records.length} record{sample.records.length === 1 ? '' : 's'} (id {sample.records[0]!.id})
            </caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {sample.fields.map((f) => (
                <tr key={f.placeholder}>
                  <th scope="row">
                    <code>{fieldName(f.placeholder)}</code>
                  </th>
                  <td>{exampleText(f.example, 200)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
