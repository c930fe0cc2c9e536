import { ApiOnlyForm } from './api-only-form';
import type { KindFormProps } from './kind-form-props';

/** crm-automation's form: not written yet. */
export function CrmAutomationForm(props: KindFormProps) {
  return <ApiOnlyForm {...props} />;
}
