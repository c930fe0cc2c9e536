import { useEffect, useState } from 'preact/hooks';

/**
 * Pages live in the fragment (#/hub, #/integrations/<id>): the server serves one file for the
 * whole console and never sees where the user is.
 */
export type Route =
  | { page: 'hub' }
  | { page: 'accounts' }
  | { page: 'integrations' }
  | { page: 'integration'; id: string }
  /** #/integrations/new (pick a kind) and #/integrations/new/<kind> (its form). */
  | { page: 'new-integration'; kind: string | null }
  | { page: 'edit-integration'; id: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'accounts') return { page: 'accounts' };
  if (parts[0] === 'integrations' && parts[1] === 'new') return { page: 'new-integration', kind: parts[2] ?? null };
  if (parts[0] === 'integrations' && parts[1] && parts[2] === 'edit') return { page: 'edit-integration', id: parts[1] };
  if (parts[0] === 'integrations' && parts[1]) return { page: 'integration', id: parts[1] };
  if (parts[0] === 'integrations') return { page: 'integrations' };
  return { page: 'hub' };
}

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'integration':
      return `#/integrations/${encodeURIComponent(route.id)}`;
    case 'edit-integration':
      return `#/integrations/${encodeURIComponent(route.id)}/edit`;
    case 'new-integration':
      return route.kind ? `#/integrations/new/${encodeURIComponent(route.kind)}` : '#/integrations/new';
    default:
      return `#/${route.page}`;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
