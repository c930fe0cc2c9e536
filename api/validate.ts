import type { Request } from 'express';
import { z } from 'zod';
import { bodyErrors, fieldErrors, HttpProblem, notFound } from './problem';

/** Validates a JSON body: not an object → 400, schema violations → 422 naming each field. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const body: unknown = req.body;
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpProblem(400, 'Bad Request', 'expected a JSON object body with Content-Type: application/json', bodyErrors('expected a JSON object'));
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    throw new HttpProblem(422, 'Unprocessable Content', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  return parsed.data;
}

const uuid = z.uuid();

/** Ids are UUIDs; anything else cannot exist, so it is a 404 rather than a database error. */
export function idParam(req: Request, what: string): string {
  const raw = req.params.id;
  const id = typeof raw === 'string' ? raw : '';
  if (!uuid.safeParse(id).success) throw notFound(what, id);
  return id;
}

/** `confirm: true` in the JSON body or `?confirm=true`: DELETE bodies are dropped by some clients. */
export function confirmed(req: Request): boolean {
  const body: unknown = req.body;
  const inBody = typeof body === 'object' && body !== null && (body as { confirm?: unknown }).confirm === true;
  return inBody || req.query.confirm === 'true';
}
