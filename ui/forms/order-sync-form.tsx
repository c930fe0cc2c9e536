import { ApiOnlyForm } from './api-only-form';
import type { KindFormProps } from './kind-form-props';

/** order-sync's form: not written yet. */
export function OrderSyncForm(props: KindFormProps) {
  return <ApiOnlyForm {...props} />;
}
