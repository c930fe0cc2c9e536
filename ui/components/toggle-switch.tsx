interface Props {
  label: string;
  on: boolean;
  disabled?: boolean;
  onToggle: (next: boolean) => void;
}

/** A slider that is a real button with role=switch: Space and Enter flip it, screen readers say on or off. */
export function ToggleSwitch({ label, on, disabled, onToggle }: Props) {
  return (
    <button type="button" role="switch" class="switch" aria-checked={on} aria-label={label} disabled={disabled} onClick={() => onToggle(!on)}>
      <span class="switch-track" aria-hidden="true">
        <span class="switch-thumb" />
      </span>
      <span class="switch-text" aria-hidden="true">
        {on ? 'On' : 'Off'}
      </span>
    </button>
  );
}
