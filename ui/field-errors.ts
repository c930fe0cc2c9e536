import { ApiError } from './api-client';

/**
 * A 4xx of the API as errors by field ("config.owner" → its reason), for each input to show its
 * own; what names no field a form shows at its top.
 */
export function fieldErrorsOf(e: unknown): { byField: Record<string, string>; general: string | null } {
  if (!(e instanceof ApiError)) return { byField: {}, general: e instanceof Error ? e.message : String(e) };
  const byField: Record<string, string> = {};
  for (const err of e.problem.errors ?? []) byField[err.field] ??= err.message;
  const general = Object.keys(byField).length ? null : e.message;
  return { byField, general };
}
