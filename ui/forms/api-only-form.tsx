import type { KindFormProps } from './kind-form-props';

/** A kind whose form is not written yet: says how to do it through the API instead of failing silently. */
export function ApiOnlyForm({ kind }: KindFormProps) {
  return (
    <p>
      The console has no form for {kind.kind} yet: create and edit it through the API (POST /integrations, PATCH /integrations/:id); its config is
      described at GET /kinds/{kind.kind}.
    </p>
  );
}
