import type { ComponentChildren, Ref } from 'preact';

/** A labelled input with its hint and the API's reason beside it, tied together for screen readers. */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'date' | 'email';
  hint?: string;
  error?: string | null;
  disabled?: boolean;
  required?: boolean;
  maxLength?: number;
  placeholder?: string;
  /** A number typed as text (the value stays what the user typed): the phone shows digits. */
  inputMode?: 'numeric' | 'decimal';
  /** For a caller that inserts text where the cursor is. */
  inputRef?: Ref<HTMLInputElement>;
  /** Shown under the input, before the hint (a list to insert from, a preview); ids in `describedBy` describe the input too. */
  children?: ComponentChildren;
  describedBy?: string;
}) {
  const describedBy = [props.describedBy, props.hint && `${props.id}-hint`, props.error && `${props.id}-error`].filter(Boolean).join(' ') || undefined;
  const common = {
    id: props.id,
    ref: props.inputRef,
    value: props.value,
    disabled: props.disabled,
    maxLength: props.maxLength,
    placeholder: props.placeholder,
    inputMode: props.inputMode,
    autoComplete: 'off',
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy,
    onInput: (e: { currentTarget: HTMLInputElement }) => props.onChange(e.currentTarget.value),
  };
  return (
    <p class="field">
      <label for={props.id}>
        {props.label}
        {props.required && <span class="required"> (required)</span>}
      </label>
      {props.type === 'date' ? <input {...common} type="date" /> : props.type === 'email' ? <input {...common} type="email" /> : <input {...common} type="text" />}
      {props.children}
      {props.hint && (
        <span id={`${props.id}-hint`} class="hint">
          {props.hint}
        </span>
      )}
      {props.error && (
        <span id={`${props.id}-error`} class="field-error">
          {props.error}
        </span>
      )}
    </p>
  );
}
