import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, messageOf } from './api-client';

export interface LatestAnswer<T> {
  data: T | null;
  error: ApiError | Error | null;
  message: string | null;
  loading: boolean;
}

/**
 * Asks the API `delayMs` after the inputs (`key`) stop changing, and keeps only the answer to the
 * latest question: a slow answer to an older text never overwrites a newer one. `ask` null: nothing
 * to ask yet (a field is missing).
 */
export function useLatestAnswer<T>(key: string, ask: (() => Promise<T>) | null, delayMs = 300): LatestAnswer<T> {
  const [state, setState] = useState<LatestAnswer<T>>({ data: null, error: null, message: null, loading: false });
  const asked = useRef(0);
  const askRef = useRef(ask);
  askRef.current = ask;
  useEffect(() => {
    const seq = ++asked.current;
    const current = askRef.current;
    if (!current) {
      setState({ data: null, error: null, message: null, loading: false });
      return;
    }
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      current().then(
        (data) => seq === asked.current && setState({ data, error: null, message: null, loading: false }),
        (e: unknown) => seq === asked.current && setState({ data: null, error: e instanceof Error ? e : new Error(String(e)), message: messageOf(e), loading: false }),
      );
    }, delayMs);
    return () => clearTimeout(timer);
  }, [key, ask === null]);
  return state;
}
