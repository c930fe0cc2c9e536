import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendProblem } from './problem';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Bearer token on every route it guards; compared in constant time. */
export function requireToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1] || !timingSafeEqual(digest(match[1].trim()), expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendProblem(res, 401, 'Unauthorized', match ? 'the bearer token is not valid' : 'send Authorization: Bearer <API token>');
    }
    next();
  };
}
