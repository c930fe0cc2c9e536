import type { Api } from './api-client';
import type { KindView } from './api-types';

let cached: Promise<KindView[]> | undefined;
/** The kinds never change while the service runs: asked once per page load. */
export function loadKinds(api: Api): Promise<KindView[]> {
  cached ??= api<{ items: KindView[] }>('GET', '/kinds').then(
    (r) => r.items,
    (e: unknown) => {
      cached = undefined;
      throw e;
    },
  );
  return cached;
}
