import type { Problem } from './api-types';

/** An answer of the API that is not a success, with its problem body (the reason the user reads). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(reasonOf(status, problem));
  }
}

/** The API's own words: its detail, else each field and its reason. */
function reasonOf(status: number, problem: Problem): string {
  if (problem.detail) return problem.detail;
  if (problem.errors?.length) return problem.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return `${problem.title ?? 'Error'} (HTTP ${status})`;
}

export type Api = <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<T>;

/**
 * Every page talks to the JSON API through this one function, with the token the user pasted:
 * the console can do nothing the API would not let the token do. A 401 signs the tab out.
 */
export function createApi(token: string, onUnauthorized: (reason: string) => void): Api {
  return async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
      });
    } catch {
      throw new ApiError(0, { title: 'Network error', detail: 'the service did not answer: is it running?' });
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { detail: text.slice(0, 300) };
    }
    if (!res.ok) {
      const error = new ApiError(res.status, (parsed ?? {}));
      if (res.status === 401) onUnauthorized(error.message);
      throw error;
    }
    return parsed as T;
  };
}

/** Checks a token without keeping it: the API's reason when it is refused. */
export async function tryToken(token: string): Promise<void> {
  await createApi(token, () => undefined)('GET', '/hub');
}

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
