import { ApiOnlyForm } from './api-only-form';
import type { KindFormProps } from './kind-form-props';

/** scenario's form: not written yet. */
export function ScenarioForm(props: KindFormProps) {
  return <ApiOnlyForm {...props} />;
}
