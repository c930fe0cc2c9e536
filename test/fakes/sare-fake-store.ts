import { isRecord } from './fake-util';

export interface SareSubscriber {
  email: string;
  name: string;
  gsm: string | null;
  /** 5 not verified, 6 not confirmed, 7 blocked, 8 confirmed. */
  status: number;
  groups: Set<number>;
  prop: Record<string, string>;
  propCust: Record<string, string>;
  confirmationsSent: number;
  updates: number;
}

export interface SareMail {
  email: string;
  subject: string;
  from: string;
  html: string | null;
  txt: string | null;
  replyto: string | null;
  uuid: string | null;
  at: number;
}

export type SareOutcome = { code: number; message?: string; data?: unknown };

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const strings = (v: unknown): Record<string, string> =>
  isRecord(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};

export class SareStore {
  readonly subscribers = new Map<string, SareSubscriber>();
  readonly mails: SareMail[] = [];
  /** [I] UUIDs already sent: a repeated one is accepted and not sent again. */
  private readonly sentUuids = new Set<string>();

  constructor(
    readonly groups: Set<number>,
    readonly props: Record<string, string>,
  ) {}

  /** POST /email/add (and /email/edit with `editOnly`). */
  addEmails(body: unknown, editOnly: boolean): SareOutcome {
    if (!isRecord(body) || !Array.isArray(body.emails) || body.emails.length === 0) return { code: 400, message: 'Field emails is required' };
    for (const e of body.emails) {
      if (!isRecord(e) || typeof e.email !== 'string' || !EMAIL.test(e.email)) return { code: 400, message: 'Invalid email address' };
      for (const g of Array.isArray(e.groups) ? e.groups : []) if (typeof g !== 'number' || !this.groups.has(g)) return { code: 404, message: `Group ${String(g)} does not exist` };
    }
    let added = 0;
    let updated = 0;
    for (const e of body.emails as Record<string, unknown>[]) {
      const email = String(e.email).toLowerCase();
      const groups = (Array.isArray(e.groups) ? e.groups : []).filter((g): g is number => typeof g === 'number');
      const existing = this.subscribers.get(email);
      if (existing) {
        if (!editOnly && body.update_on_duplicate !== true) continue;
        if (typeof e.name === 'string') existing.name = e.name;
        if (typeof e.gsm === 'string') existing.gsm = e.gsm;
        if (typeof e.status === 'number' && (editOnly || body.update_status_on_duplicate === true)) existing.status = e.status;
        if (!editOnly && body.only_add_to_groups !== true && groups.length > 0) existing.groups.clear();
        for (const g of groups) existing.groups.add(g);
        Object.assign(existing.prop, strings(e.prop));
        Object.assign(existing.propCust, strings(e.prop_cust));
        existing.updates += 1;
        updated++;
      } else {
        if (editOnly) return { code: 404, message: `Email ${email} not found` };
        this.subscribers.set(email, {
          email,
          name: typeof e.name === 'string' ? e.name : '',
          gsm: typeof e.gsm === 'string' ? e.gsm : null,
          status: typeof e.status === 'number' ? e.status : 6,
          groups: new Set(groups),
          prop: strings(e.prop),
          propCust: strings(e.prop_cust),
          confirmationsSent: body.send_confirmation === true ? 1 : 0,
          updates: 0,
        });
        added++;
      }
    }
    return { code: 200, data: { added, updated } };
  }

  addToGroup(body: unknown): SareOutcome {
    if (!isRecord(body) || typeof body.group !== 'number' || !Array.isArray(body.emails)) return { code: 400, message: 'Fields group and emails are required' };
    if (!this.groups.has(body.group)) return { code: 404, message: `Group ${body.group} does not exist` };
    let added = 0;
    for (const raw of body.emails) {
      const sub = typeof raw === 'string' ? this.subscribers.get(raw.toLowerCase()) : undefined;
      if (!sub) return { code: 404, message: `Email ${String(raw)} not found` };
      if (!sub.groups.has(body.group)) added++;
      sub.groups.add(body.group);
    }
    return { code: 200, data: { added } };
  }

  sendTransactional(body: unknown, now: number): SareOutcome {
    if (!Array.isArray(body) || body.length === 0) return { code: 400, message: 'Expected an array of messages' };
    for (const m of body) {
      if (!isRecord(m) || typeof m.email !== 'string' || !EMAIL.test(m.email)) return { code: 400, message: 'Invalid recipient email' };
      if (typeof m.subject !== 'string' || m.subject === '' || typeof m.from !== 'string') return { code: 400, message: 'Fields subject and from are required' };
      if (typeof m.html !== 'string' && typeof m.txt !== 'string') return { code: 400, message: 'Message body (html or txt) is required' };
    }
    let sent = 0;
    for (const m of body as Record<string, unknown>[]) {
      const uuid = typeof m.UUID === 'string' ? m.UUID : null;
      if (uuid !== null && this.sentUuids.has(uuid)) continue;
      if (uuid !== null) this.sentUuids.add(uuid);
      this.mails.push({
        email: String(m.email),
        subject: String(m.subject),
        from: String(m.from),
        html: typeof m.html === 'string' ? m.html : null,
        txt: typeof m.txt === 'string' ? m.txt : null,
        replyto: typeof m.replyto === 'string' ? m.replyto : null,
        uuid,
        at: now,
      });
      sent++;
    }
    return { code: 200, data: { sent } };
  }
}
