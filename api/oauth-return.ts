import { z } from 'zod';

const BASE = 'http://console.invalid';

/**
 * Where the OAuth callback may send a browser back to: a path of this service's console and nothing
 * else. A full URL, `//host`, a backslash or an encoded escape out of /ui/ would make the callback an
 * open redirect, so the value must come out of URL resolution unchanged in origin and under /ui/.
 */
export const consoleReturnTo = z
  .string()
  .max(500)
  .refine((v) => {
    if (!v.startsWith('/ui/') || /[\\\s]/.test(v) || v.startsWith('//')) return false;
    try {
      const url = new URL(v, BASE);
      return url.origin === BASE && url.pathname.startsWith('/ui/');
    } catch {
      return false;
    }
  }, 'a console path starting with /ui/ on this service (no other site)');

/** The return path with the new account's id, the fragment (the console's page) kept last. */
export function returnUrl(returnTo: string, accountId: string): string {
  const url = new URL(returnTo, BASE);
  url.searchParams.set('connected', accountId);
  return `${url.pathname}${url.search}${url.hash}`;
}
