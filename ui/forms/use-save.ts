import { useEffect, useRef, useState } from 'preact/hooks';
import { fieldErrorsOf } from '../field-errors';

export interface SaveErrors {
  byField: Record<string, string>;
  general: string | null;
}

const NONE: SaveErrors = { byField: {}, general: null };

/**
 * The save of a kind's form: busy while the API answers, its refusal split by field (each input
 * shows its own) and the rest for the top of the form. Problems the form finds itself go through
 * `refuse`, in the same shape, so they show in the same places without asking the server. `form`
 * goes on the <form>: after a refusal, the first input it names has the focus.
 */
export function useSave(onSaved: (id: string) => void) {
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<SaveErrors>(NONE);
  const form = useRef<HTMLFormElement>(null);
  // A refusal may name a field far from the button: the first input it names gets the focus.
  useEffect(() => {
    if (errors === NONE) return;
    const invalid = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) invalid.focus();
    else form.current?.querySelector('.error')?.scrollIntoView({ block: 'center' });
  }, [errors]);
  const save = async (request: () => Promise<{ id: string }>) => {
    setSaving(true);
    setErrors(NONE);
    try {
      const saved = await request();
      onSaved(saved.id);
    } catch (e) {
      setErrors(fieldErrorsOf(e));
    } finally {
      setSaving(false);
    }
  };
  const refuse = (byField: Record<string, string>) => setErrors({ byField, general: null });
  /** Field errors no input of the form shows (`shown` says which it does), as lines for the top. */
  const unshown = (shown: (field: string) => boolean): string[] =>
    Object.entries(errors.byField)
      .filter(([field]) => !shown(field))
      .map(([field, message]) => `${field}: ${message}`);
  return { form, saving, errors, save, refuse, unshown };
}
