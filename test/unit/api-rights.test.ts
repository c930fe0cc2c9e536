import { openApiDocument } from '../../api/openapi';
import { RIGHTS, rightFor, roleAtLeast } from '../../api/rights';

describe('the rights table (api/rights.ts)', () => {
  const doc = openApiDocument();
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

  it('names every operation behind the token in the OpenAPI document, and no other', () => {
    const guarded = operations.filter((o) => !(Array.isArray(o.op.security) && o.op.security.length === 0)).map((o) => `${o.method} ${o.path}`);
    const declared = Object.entries(RIGHTS).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(declared.sort()).toEqual(guarded.sort());
  });

  it('finds the route of a request path, as express would route it', () => {
    expect(rightFor('POST', '/integrations/3f1c2d9e-0000-4000-8000-000000000000/pause')).toEqual({ route: '/integrations/{id}/pause', role: 'operator' });
    expect(rightFor('GET', '/integrations/abc')).toEqual({ route: '/integrations/{id}', role: 'viewer' });
    expect(rightFor('HEAD', '/accounts/')).toEqual({ route: '/accounts', role: 'viewer' });
    expect(rightFor('post', '/Accounts')).toEqual({ route: '/accounts', role: 'admin' });
    expect(rightFor('GET', '/clients')).toEqual({ route: '/clients', role: 'admin' });
  });

  it('asks admin for what it does not know (a route added without its row fails closed)', () => {
    expect(rightFor('PUT', '/integrations/abc')).toEqual({ route: '/integrations/{id}', role: 'admin' });
    expect(rightFor('GET', '/somewhere/new')).toEqual({ route: null, role: 'admin' });
    expect(rightFor('GET', '/integrations/a/b/c/d')).toEqual({ route: null, role: 'admin' });
  });

  it('orders the roles viewer < operator < admin', () => {
    expect(roleAtLeast('admin', 'operator')).toBe(true);
    expect(roleAtLeast('operator', 'operator')).toBe(true);
    expect(roleAtLeast('viewer', 'operator')).toBe(false);
    expect(roleAtLeast('operator', 'admin')).toBe(false);
  });
});
