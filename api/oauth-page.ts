import type { Request, Response } from 'express';
import { sendProblem, type FieldError } from './problem';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, lines: string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${lines.map((l) => `<p>${escape(l)}</p>`).join('')}</body></html>`;
}

/** The callback is opened by a browser: it gets a page; a program sending Accept: application/json gets JSON. */
export const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

export function sendOutcomePage(req: Request, res: Response, json: Record<string, unknown>, title: string, lines: string[]): void {
  if (wantsJson(req)) res.json(json);
  else res.type('html').send(page(title, lines));
}

export function sendFailurePage(req: Request, res: Response, status: number, title: string, detail: string, errors: FieldError[] = []): void {
  if (wantsJson(req)) sendProblem(res, status, title, detail, errors);
  else res.status(status).type('html').send(page(title, [detail]));
}
