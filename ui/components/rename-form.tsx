import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../api-client';
import { ErrorMessage } from './error-message';

interface Props {
  label: string;
  value: string;
  onSave: (value: string) => Promise<void>;
  onCancel: () => void;
}

/** Rename in place: Enter saves, Escape gives up; the API's refusal stays on screen. */
export function RenameForm({ label, value, onSave, onCancel }: Props) {
  const [name, setName] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await onSave(name.trim());
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <form class="rename" onSubmit={(e) => void submit(e)} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <input ref={input} type="text" aria-label={label} value={name} maxLength={200} required onInput={(e) => setName(e.currentTarget.value)} />
      <button type="submit" class="primary">
        Save
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <ErrorMessage message={error} />
    </form>
  );
}
