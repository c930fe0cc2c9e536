import { firstValue, json, type FakeRequest, type FakeResponse } from './fake-server';
import { formatBudapest, isRecord } from './fake-util';
import { checkFieldValue, type MiniCrmCard, type MiniCrmContact, type MiniCrmStore } from './minicrm-fake-store';

const PAGE_SIZE = 100;

export function message(status: number, text: string): FakeResponse {
  return json(status, { Message: text });
}

const notFound = (): FakeResponse => message(404, 'Not found');

function minicrmDate(ms: number): string {
  return formatBudapest(ms, '-');
}

function parseBody(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Single query values; MiniCRM is case-sensitive, so an unknown (or mis-cased) name is a 400. */
function readQuery(
  req: FakeRequest,
  allowed: ReadonlySet<string>,
): { ok: true; query: Record<string, string> } | { ok: false; response: FakeResponse } {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.query)) {
    if (!allowed.has(name)) return { ok: false, response: message(400, `Unknown parameter: ${name}`) };
    query[name] = firstValue(value) ?? '';
  }
  return { ok: true, query };
}

function page<T extends { Id: number }>(items: T[], query: Record<string, string>, toItem: (item: T) => unknown): FakeResponse {
  const raw = query.Page ?? '0';
  if (!/^\d+$/.test(raw)) return message(400, 'Invalid value for Page');
  const start = Number(raw) * PAGE_SIZE;
  const results: Record<string, unknown> = {};
  for (const item of [...items].sort((a, b) => a.Id - b.Id).slice(start, start + PAGE_SIZE)) results[String(item.Id)] = toItem(item);
  return json(200, { Count: items.length, Results: results });
}

function updatedSince(value: string | undefined): ((updatedAt: number) => boolean) | FakeResponse {
  if (value === undefined) return () => true;
  const normalized = value.replace('T', ' ');
  if (!/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(normalized)) return message(400, 'Invalid value for UpdatedSince');
  // Compared as Budapest wall-clock strings, which sort like the instants they stand for.
  return (updatedAt) => minicrmDate(updatedAt) >= normalized;
}

function listProjects(store: MiniCrmStore, req: FakeRequest, baseUrl: string): FakeResponse {
  const categoryParam = firstValue(req.query.CategoryId);
  const customNames =
    categoryParam !== undefined
      ? Object.keys(store.customFields(Number(categoryParam)))
      : Object.values(store.config.customFields).flatMap((fields) => Object.keys(fields));
  const allowed = new Set(['CategoryId', 'StatusId', 'UserId', 'MainContactId', 'UpdatedSince', 'Deleted', 'Page', ...customNames]);
  const read = readQuery(req, allowed);
  if (!read.ok) return read.response;
  const q = read.query;
  const since = updatedSince(q.UpdatedSince);
  if (typeof since !== 'function') return since;
  const matches = (card: MiniCrmCard): boolean =>
    (q.CategoryId === undefined || String(card.CategoryId) === q.CategoryId) &&
    (q.StatusId === undefined || store.resolveStatus(card.CategoryId, q.StatusId) === card.StatusId) &&
    (q.UserId === undefined || String(card.UserId) === q.UserId || store.userName(card.UserId) === q.UserId) &&
    (q.MainContactId === undefined || String(card.ContactId) === q.MainContactId) &&
    (q.Deleted === undefined || String(card.Deleted) === q.Deleted) &&
    since(card.updatedAt) &&
    customNames.every((name) => q[name] === undefined || card.fields[name] === q[name]);
  return page([...store.cards.values()].filter(matches), q, (card) => ({
    Id: card.Id,
    Name: card.Name,
    Url: `${baseUrl}/Api/R3/Project/${card.Id}`,
    ContactId: card.ContactId,
    StatusId: card.StatusId,
    UserId: card.UserId,
    Deleted: card.Deleted,
    BusinessId: null,
  }));
}

/** Enum fields come back as display names (UserId) per the manual's example; StatusId stays numeric. */
function projectDetail(store: MiniCrmStore, card: MiniCrmCard): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    Id: card.Id,
    CategoryId: card.CategoryId,
    ContactId: card.ContactId,
    UserId: store.userName(card.UserId),
    StatusId: card.StatusId,
    Name: card.Name,
    Deleted: card.Deleted,
    BusinessId: null,
    CreatedAt: minicrmDate(card.createdAt),
    UpdatedAt: minicrmDate(card.updatedAt),
  };
  for (const [name, type] of Object.entries(store.customFields(card.CategoryId))) {
    const value = card.fields[name];
    detail[name] = value === undefined ? null : type === 'Int' ? Number(value) : value;
  }
  return detail;
}

function toIntOrNull(value: unknown): number | null | undefined {
  if (value === null) return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function putProject(store: MiniCrmStore, id: number | undefined, body: Record<string, unknown>): FakeResponse {
  const existing = id === undefined ? undefined : store.cards.get(id);
  if (id !== undefined && !existing) return notFound();
  const categoryId = existing?.CategoryId ?? toIntOrNull(body.CategoryId);
  if (categoryId === undefined || categoryId === null || !store.hasCategory(categoryId)) return message(400, 'Invalid value for CategoryId');
  if (existing && body.CategoryId !== undefined && toIntOrNull(body.CategoryId) !== existing.CategoryId) {
    return message(400, 'Invalid value for CategoryId');
  }
  const custom = store.customFields(categoryId);
  const changes: Partial<Pick<MiniCrmCard, 'Name' | 'StatusId' | 'UserId' | 'ContactId' | 'Deleted'>> = {};
  const fields: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === 'CategoryId') continue;
    if (name === 'Name') {
      if (typeof value !== 'string') return message(400, 'Invalid value for Name');
      changes.Name = value;
    } else if (name === 'StatusId') {
      const status = store.resolveStatus(categoryId, value);
      // The manual: an invalid dropdown value is an internal error (500), not a 400.
      if (status === undefined) return message(500, 'Invalid value for StatusId');
      changes.StatusId = status;
    } else if (name === 'UserId') {
      const user = store.resolveUser(value);
      if (user === undefined) return message(500, 'Invalid value for UserId');
      changes.UserId = user;
    } else if (name === 'ContactId') {
      const contactId = toIntOrNull(value);
      if (contactId === undefined) return message(400, 'Invalid value for ContactId');
      changes.ContactId = contactId;
    } else if (name === 'Deleted') {
      const deleted = toIntOrNull(value);
      if (deleted !== 0 && deleted !== 1) return message(400, 'Invalid value for Deleted');
      changes.Deleted = deleted;
    } else {
      const type = custom[name];
      if (type === undefined) return message(400, `Unknown field: ${name}`);
      if (value === null) fields[name] = null;
      else if (typeof value === 'string' || typeof value === 'number') {
        const error = checkFieldValue(name, type, String(value));
        if (error) return message(400, error);
        fields[name] = String(value);
      } else return message(400, `Invalid value for ${name}`);
    }
  }
  const card = existing ?? store.createCard({ CategoryId: categoryId });
  Object.assign(card, changes);
  store.indexCard(card);
  for (const [name, value] of Object.entries(fields)) {
    if (value === null) delete card.fields[name];
    else card.fields[name] = value;
  }
  if (existing) store.touch(card);
  return json(200, { Id: card.Id });
}

const CONTACT_STRING_FIELDS = new Set(['Name', 'FirstName', 'LastName', 'Email', 'Phone']);

function putContact(store: MiniCrmStore, id: number | undefined, body: Record<string, unknown>): FakeResponse {
  const existing = id === undefined ? undefined : store.contacts.get(id);
  if (id !== undefined && !existing) return notFound();
  const changes: Partial<MiniCrmContact> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === 'Type') {
      if (value !== 'Person' && value !== 'Business') return message(400, 'Invalid value for Type');
      changes.Type = value;
    } else if (name === 'BusinessId') {
      const businessId = toIntOrNull(value);
      if (businessId === undefined) return message(400, 'Invalid value for BusinessId');
      changes.BusinessId = businessId;
    } else if (CONTACT_STRING_FIELDS.has(name)) {
      if (typeof value !== 'string') return message(400, `Invalid value for ${name}`);
      Object.assign(changes, { [name]: value });
    } else return message(400, `Unknown field: ${name}`);
  }
  if (!existing && changes.Type === undefined) return message(400, 'Missing parameter: Type');
  return json(200, { Id: store.saveContact(changes, existing).Id });
}

function listContacts(store: MiniCrmStore, req: FakeRequest, baseUrl: string): FakeResponse {
  const read = readQuery(req, new Set(['Name', 'Email', 'Phone', 'Query', 'Type', 'MainContactId', 'UpdatedSince', 'Page']));
  if (!read.ok) return read.response;
  const query = read.query;
  const since = updatedSince(query.UpdatedSince);
  if (typeof since !== 'function') return since;
  const lower = (s: string | undefined): string | undefined => s?.toLowerCase();
  const matches = (c: MiniCrmContact): boolean =>
    (query.Email === undefined || c.Email.toLowerCase() === lower(query.Email)) &&
    (query.Name === undefined || c.Name.toLowerCase().includes(lower(query.Name) ?? '')) &&
    (query.Phone === undefined || c.Phone === query.Phone) &&
    (query.Type === undefined || c.Type === query.Type) &&
    (query.MainContactId === undefined || String(c.BusinessId) === query.MainContactId) &&
    (query.Query === undefined || [c.Name, c.Email, c.Phone].some((v) => v.toLowerCase().includes(lower(query.Query) ?? ''))) &&
    since(c.updatedAt);
  return page([...store.contacts.values()].filter(matches), query, (c) => ({
    Id: c.Id,
    Name: c.Name,
    Url: `${baseUrl}/Api/R3/Contact/${c.Id}`,
    Type: c.Type,
    Email: c.Email,
    Phone: c.Phone,
    BusinessId: c.BusinessId,
  }));
}

function contactDetail(c: MiniCrmContact): Record<string, unknown> {
  return {
    Id: c.Id,
    Type: c.Type,
    Name: c.Name,
    FirstName: c.FirstName,
    LastName: c.LastName,
    Email: c.Email,
    Phone: c.Phone,
    Description: '',
    Deleted: 0,
    CreatedAt: minicrmDate(c.createdAt),
    UpdatedAt: minicrmDate(c.updatedAt),
    BusinessId: c.BusinessId,
  };
}

/** `/Api/R3/*` after auth and rate limiting. */
export function handleR3(store: MiniCrmStore, req: FakeRequest, baseUrl: string): FakeResponse {
  const path = req.path.replace(/^\/Api\/R3/, '').replace(/\/+$/, '');
  const [, resource = '', second, third] = path.split('/');
  const get = req.method === 'GET';
  const put = req.method === 'PUT';

  if (resource === 'Category' && second === undefined) return get ? json(200, store.config.categories) : message(405, 'Method not allowed');
  if (resource === 'Schema' && second === 'Project' && third !== undefined) {
    if (!get) return message(405, 'Method not allowed');
    const categoryId = Number(third);
    if (!store.hasCategory(categoryId)) return notFound();
    return json(200, {
      Id: 'Int',
      Name: 'Text(512)',
      StatusId: store.config.statuses[third] ?? {},
      UserId: store.config.users,
      ContactId: 'Int',
      ...store.customFields(categoryId),
    });
  }
  if ((resource !== 'Project' && resource !== 'Contact') || third !== undefined) return notFound();
  if (second !== undefined && !/^\d+$/.test(second)) return notFound();
  const id = second === undefined ? undefined : Number(second);
  if (get) {
    if (resource === 'Project') {
      if (id === undefined) return listProjects(store, req, baseUrl);
      const card = store.cards.get(id);
      return card ? json(200, projectDetail(store, card)) : notFound();
    }
    if (id === undefined) return listContacts(store, req, baseUrl);
    const contact = store.contacts.get(id);
    return contact ? json(200, contactDetail(contact)) : notFound();
  }
  if (!put) return message(405, 'Method not allowed');
  const body = parseBody(req.body);
  if (!body) return message(400, 'Invalid JSON');
  return resource === 'Project' ? putProject(store, id, body) : putContact(store, id, body);
}
