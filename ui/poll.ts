import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from './api-client';

/** How often a visible page asks again: states and counts move while the page is open. */
export const POLL_MS = 3000;

export interface Polled<T> {
  data: T | undefined;
  error: string | null;
  reload: () => Promise<void>;
}

/**
 * Loads now, then every POLL_MS while the tab is visible (a hidden tab costs the API nothing);
 * one request at a time, so a slow answer never piles up behind itself.
 */
export function usePoll<T>(load: () => Promise<T>, deps: unknown[], everyMs: number | null = POLL_MS): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const again = useRef(false);
  const alive = useRef(true);
  const reload = useCallback(async () => {
    // A reload asked for during a request (after the user acted) runs once that one is done.
    if (busy.current) {
      again.current = true;
      return;
    }
    busy.current = true;
    try {
      do {
        again.current = false;
        try {
          const value = await load();
          if (alive.current) {
            setData(value);
            setError(null);
          }
        } catch (e) {
          if (alive.current) setError(messageOf(e));
        }
      } while (again.current && alive.current);
    } finally {
      busy.current = false;
    }
  }, deps);
  useEffect(() => {
    alive.current = true;
    void reload();
    if (everyMs === null) return () => void (alive.current = false);
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, everyMs);
    const onVisible = () => document.visibilityState === 'visible' && void reload();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      alive.current = false;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [reload, everyMs]);
  return { data, error, reload };
}
