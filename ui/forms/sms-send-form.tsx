import { ApiOnlyForm } from './api-only-form';
import type { KindFormProps } from './kind-form-props';

/** sms-send's form: not written yet. */
export function SmsSendForm(props: KindFormProps) {
  return <ApiOnlyForm {...props} />;
}
