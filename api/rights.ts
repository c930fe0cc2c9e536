import { API_ROLES, type ApiRole } from '../db/schema';

export { API_ROLES, type ApiRole };

type Method = 'get' | 'post' | 'patch' | 'delete';

/**
 * The least role each route behind the token needs, keyed as in the OpenAPI document (a test holds
 * the two to the same routes). viewer reads; operator also runs integrations; admin also holds
 * credentials (accounts, OAuth, the hub's toggles) and decides who gets in (clients, audit).
 * The webhooks, the OAuth callback, /healthz, /readyz and /openapi.json are mounted before the token check.
 */
export const RIGHTS: Record<string, Partial<Record<Method, ApiRole>>> = {
  '/systems': { get: 'viewer' },
  '/systems/{id}': { get: 'viewer' },
  '/kinds': { get: 'viewer' },
  '/kinds/{kind}': { get: 'viewer' },
  '/hub': { get: 'viewer' },
  '/accounts': { get: 'viewer', post: 'admin' },
  '/accounts/{id}': { get: 'viewer', patch: 'admin', delete: 'admin' },
  '/accounts/{id}/check': { post: 'admin' },
  '/accounts/{id}/functionalities/{name}': { patch: 'admin' },
  // Reads names (users, statuses, folders) with the account's credentials; the credentials stay inside.
  '/accounts/{id}/lookups/{name}': { get: 'viewer' },
  '/oauth/{system}/start': { get: 'admin' },
  '/integrations': { get: 'viewer', post: 'operator' },
  '/integrations/{id}': { get: 'viewer', patch: 'operator', delete: 'operator' },
  '/integrations/{id}/pause': { post: 'operator' },
  '/integrations/{id}/resume': { post: 'operator' },
  '/integrations/{id}/run': { post: 'operator' },
  '/integrations/{id}/automations': { get: 'viewer', post: 'operator' },
  '/integrations/{id}/automations/{automationId}': { get: 'viewer', patch: 'operator', delete: 'operator' },
  '/integrations/{id}/suggestions': { get: 'viewer' },
  '/integrations/{id}/deliveries': { get: 'viewer' },
  '/integrations/{id}/deliveries/retry': { post: 'operator' },
  // Sends nothing, but reads the sheet with the account's credentials and spends its quota.
  '/integrations/{id}/preview': { post: 'operator' },
  '/integrations/{id}/test': { post: 'operator' },
  '/sms-send/preview': { post: 'operator' },
  // Computes times; reads only the name of the integration an after schedule follows.
  '/sms-send/schedule-preview': { post: 'viewer' },
  '/integrations/{id}/runs': { get: 'viewer' },
  // Reads recent records of a trigger (a read, though a POST): what the viewer could see in the provider anyway.
  '/integrations/{id}/sample': { post: 'viewer' },
  '/scenarios/sample': { post: 'viewer' },
  '/integrations/{id}/messages': { get: 'viewer' },
  // Breaks the receipt URL 8x8 holds until the next send: an operator's act, like pausing.
  '/integrations/{id}/webhook-secret/rotate': { post: 'operator' },
  '/clients': { get: 'admin', post: 'admin' },
  '/clients/{id}': { delete: 'admin' },
  '/audit': { get: 'admin' },
};

export const roleAtLeast = (role: ApiRole, needed: ApiRole) => API_ROLES.indexOf(role) >= API_ROLES.indexOf(needed);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Case-insensitive and with an optional trailing slash, as express routes them. */
const compiled = Object.entries(RIGHTS).map(([route, methods]) => ({
  route,
  methods,
  regex: new RegExp(`^${route.split(/\{[^}]+\}/).map(escape).join('[^/]+')}/?$`, 'i'),
}));

export interface Right {
  /** The route as RIGHTS names it, or null for one it does not know. */
  route: string | null;
  role: ApiRole;
}

/**
 * What a request needs. A route the table does not name needs admin: a route added without its
 * row fails closed (its 404, for a missing route, is then seen by admins only).
 */
export function rightFor(method: string, path: string): Right {
  const m = method.toUpperCase() === 'HEAD' ? 'get' : method.toLowerCase();
  const hit = compiled.find((c) => c.regex.test(path));
  const role = hit && Object.entries(hit.methods).find(([k]) => k === m)?.[1];
  return role ? { route: hit.route, role } : { route: hit?.route ?? null, role: 'admin' };
}
