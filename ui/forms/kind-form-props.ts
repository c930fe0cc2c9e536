import type { Api } from '../api-client';
import type { Integration, KindView } from '../api-types';

/**
 * What the form page hands each kind's form. `existing` is null when creating. The form saves
 * through the API itself (POST /integrations or PATCH /integrations/:id) and calls onSaved with
 * the integration's id; the page then shows the integration.
 */
export interface KindFormProps {
  api: Api;
  kind: KindView;
  existing: Integration | null;
  onSaved: (id: string) => void;
}
