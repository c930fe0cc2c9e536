import { useState } from 'preact/hooks';

const UNITS = [
  { seconds: 3600, one: 'hour', many: 'hours' },
  { seconds: 60, one: 'minute', many: 'minutes' },
  { seconds: 1, one: 'second', many: 'seconds' },
] as const;

/** 300 → "5 minutes", 5400 → "90 minutes", 3600 → "1 hour". */
export function durationInWords(seconds: number): string {
  const unit = UNITS.find((u) => seconds % u.seconds === 0) ?? UNITS[2];
  const n = seconds / unit.seconds;
  return `${n} ${n === 1 ? unit.one : unit.many}`;
}

/** The largest unit the value is a whole number of, so 300 shows as 5 minutes rather than 300 seconds. */
function split(seconds: number): { amount: string; unit: number } {
  const unit = UNITS.find((u) => seconds % u.seconds === 0) ?? UNITS[2];
  return { amount: String(seconds / unit.seconds), unit: unit.seconds };
}

/**
 * How often an integration polls, typed in human units (5 minutes, 1 hour) and stored in seconds.
 * onChange gets null while the amount is not a whole number inside the schema's bounds, so the
 * form can say so before asking the server.
 */
export function PollIntervalInput(props: {
  id: string;
  label: string;
  seconds: number | null;
  onChange: (seconds: number | null) => void;
  min: number;
  max: number;
  hint?: string;
  error?: string | null;
}) {
  const [state, setState] = useState(() => split(props.seconds ?? props.min));
  const seconds = (amount: string, unit: number): number | null => {
    if (!/^\d+$/.test(amount.trim())) return null;
    const s = Number(amount) * unit;
    return s >= props.min && s <= props.max ? s : null;
  };
  const set = (amount: string, unit: number) => {
    setState({ amount, unit });
    props.onChange(seconds(amount, unit));
  };
  const outOfRange = seconds(state.amount, state.unit) === null;
  const bounds = `From ${durationInWords(props.min)} to ${durationInWords(props.max)}.`;
  const error = props.error ?? (outOfRange ? `A whole number: ${bounds.toLowerCase()}` : null);
  const describedBy = [`${props.id}-hint`, error && `${props.id}-error`].filter(Boolean).join(' ');
  return (
    <fieldset class="field interval">
      <legend>{props.label}</legend>
      <div class="interval-inputs">
        <label for={props.id}>Every</label>
        <input
          id={props.id}
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          value={state.amount}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onInput={(e) => set(e.currentTarget.value, state.unit)}
        />
        <label for={`${props.id}-unit`} class="visually-hidden">
          Unit
        </label>
        <select id={`${props.id}-unit`} value={String(state.unit)} onChange={(e) => set(state.amount, Number(e.currentTarget.value))}>
          {UNITS.map((u) => (
            <option key={u.seconds} value={String(u.seconds)}>
              {u.many}
            </option>
          ))}
        </select>
      </div>
      <span id={`${props.id}-hint`} class="hint">
        {props.hint ? `${props.hint} ` : ''}
        {bounds}
      </span>
      {error && (
        <span id={`${props.id}-error`} class="field-error">
          {error}
        </span>
      )}
    </fieldset>
  );
}
