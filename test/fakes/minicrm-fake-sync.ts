import { json, type FakeResponse } from './fake-server';
import { asArray, isRecord, parseXml, textOf } from './fake-util';
import {
  STANDARD_PROJECT_FIELDS,
  checkFieldValue,
  type MiniCrmContact,
  type MiniCrmStore,
  type MiniCrmSyncOrder,
  type MiniCrmSyncProduct,
} from './minicrm-fake-store';
import { message } from './minicrm-fake-r3';

/*
 * XML synchronisation (`POST /Api/SyncFeed/{SystemId}/Upload`). The payload shape comes from third-party
 * clients; the JSON response shape below is an ASSUMPTION (the real one is unverified):
 *   {"Status":"Ok","Count":<projects in upload>,"Results":{"<external id>":{"Id":n,"Status":"Ok"} | {"Status":"Error","Message":"…"}}}
 */

interface ContactPlan {
  externalId: string;
  fields: Partial<Pick<MiniCrmContact, 'Name' | 'FirstName' | 'LastName' | 'Email' | 'Phone' | 'Type'>>;
}

interface ProjectPlan {
  externalId: string;
  categoryId: number;
  name: string | undefined;
  statusId: number | undefined;
  userId: number | undefined;
  contactId: number | undefined;
  fields: Record<string, string>;
  contacts: ContactPlan[];
  orders: MiniCrmSyncOrder[];
}

type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const STANDARD = new Set<string>([...STANDARD_PROJECT_FIELDS, 'Contacts', 'Orders']);
const CONTACT_FIELDS = ['Name', 'FirstName', 'LastName', 'Email', 'Phone'] as const;
const PRODUCT_FIELDS = ['Name', 'SKU', 'PriceNet', 'Quantity', 'Unit', 'VAT'] as const;

function children(element: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(element).filter(([name]) => !name.startsWith('@_') && name !== '#text');
}

function scalarChildren(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [name, child] of children(value)) {
    const text = textOf(child);
    if (text !== undefined) out[name] = text.trim();
  }
  return out;
}

function parseContact(value: unknown): Checked<ContactPlan> {
  const externalId = isRecord(value) ? textOf(value['@_Id'])?.trim() : undefined;
  if (!externalId) return { ok: false, error: 'Contact without Id attribute' };
  const scalars = scalarChildren(value);
  const type = scalars.Type ?? 'Person';
  if (type !== 'Person' && type !== 'Business') return { ok: false, error: `Invalid contact Type ${type}` };
  const fields: ContactPlan['fields'] = { Type: type };
  for (const name of CONTACT_FIELDS) if (scalars[name] !== undefined) fields[name] = scalars[name];
  return { ok: true, value: { externalId, fields } };
}

function parseOrder(value: unknown): Checked<MiniCrmSyncOrder> {
  if (!isRecord(value)) return { ok: false, error: 'Invalid Order' };
  const id = textOf(value['@_Id'])?.trim();
  if (!id) return { ok: false, error: 'Order without Id attribute' };
  const { Number: number = '', CurrencyCode = '', Status = '', ...fields } = scalarChildren(value);
  const products: MiniCrmSyncProduct[] = [];
  const productList = isRecord(value.Products) ? value.Products.Product : undefined;
  for (const product of asArray(productList)) {
    const productId = isRecord(product) ? textOf(product['@_Id'])?.trim() : undefined;
    if (!productId) return { ok: false, error: `Product without Id attribute in order ${id}` };
    const scalars = scalarChildren(product);
    const parsed: MiniCrmSyncProduct = { Id: productId, Name: '', SKU: '', PriceNet: '', Quantity: '', Unit: '', VAT: '' };
    for (const name of PRODUCT_FIELDS) parsed[name] = scalars[name] ?? '';
    products.push(parsed);
  }
  return {
    ok: true,
    value: { Id: id, Number: number, CurrencyCode, Status, Customer: scalarChildren(value.Customer), Products: products, fields },
  };
}

function planProject(store: MiniCrmStore, project: Record<string, unknown>, externalId: string): Checked<ProjectPlan> {
  const categoryText = textOf(project.CategoryId)?.trim() ?? '';
  const categoryId = Number(categoryText);
  if (!/^\d+$/.test(categoryText) || !store.hasCategory(categoryId)) return { ok: false, error: `Invalid CategoryId ${categoryText}` };
  const custom = store.customFields(categoryId);
  const plan: ProjectPlan = {
    externalId,
    categoryId,
    name: undefined,
    statusId: undefined,
    userId: undefined,
    contactId: undefined,
    fields: {},
    contacts: [],
    orders: [],
  };
  for (const [name, value] of children(project)) {
    const type = custom[name];
    if (!STANDARD.has(name) && type === undefined) return { ok: false, error: `Unknown field ${name}` };
    if (name === 'Contacts' || name === 'Orders') continue;
    const text = textOf(value)?.trim();
    if (text === undefined) return { ok: false, error: `Invalid value for ${name}` };
    if (type !== undefined) {
      const error = checkFieldValue(name, type, text);
      if (error) return { ok: false, error };
      plan.fields[name] = text;
    }
  }
  if (project.Name !== undefined) plan.name = textOf(project.Name)?.trim();
  if (project.StatusId !== undefined) {
    const status = textOf(project.StatusId)?.trim() ?? '';
    if (store.config.statuses[String(categoryId)]?.[status] === undefined) return { ok: false, error: `Invalid StatusId ${status}` };
    plan.statusId = Number(status);
  }
  if (project.UserId !== undefined) {
    const user = textOf(project.UserId)?.trim() ?? '';
    if (store.config.users[user] === undefined) return { ok: false, error: `Invalid UserId ${user}` };
    plan.userId = Number(user);
  }
  if (project.ContactId !== undefined) {
    const contact = textOf(project.ContactId)?.trim() ?? '';
    if (!/^\d+$/.test(contact)) return { ok: false, error: `Invalid ContactId ${contact}` };
    plan.contactId = Number(contact);
  }
  const contactList = isRecord(project.Contacts) ? project.Contacts.Contact : undefined;
  for (const contact of asArray(contactList)) {
    const parsed = parseContact(contact);
    if (!parsed.ok) return parsed;
    plan.contacts.push(parsed.value);
  }
  const orderList = isRecord(project.Orders) ? project.Orders.Order : undefined;
  for (const order of asArray(orderList)) {
    const parsed = parseOrder(order);
    if (!parsed.ok) return parsed;
    plan.orders.push(parsed.value);
  }
  return { ok: true, value: plan };
}

function applyPlan(store: MiniCrmStore, plan: ProjectPlan): number {
  const contactIds = plan.contacts.map((c) => {
    const existing = store.contactByExternalId(c.externalId);
    return store.saveContact({ ...c.fields, ExternalId: c.externalId }, existing).Id;
  });
  const contactId = contactIds[0] ?? plan.contactId;
  const existing = store.cardByExternalId(plan.categoryId, plan.externalId);
  if (!existing) {
    return store.createCard({
      CategoryId: plan.categoryId,
      ExternalId: plan.externalId,
      Name: plan.name ?? '',
      StatusId: plan.statusId ?? store.firstStatus(plan.categoryId),
      UserId: plan.userId ?? null,
      ContactId: contactId ?? null,
      fields: plan.fields,
      orders: plan.orders,
    }).Id;
  }
  if (plan.name !== undefined) existing.Name = plan.name;
  if (plan.statusId !== undefined) existing.StatusId = plan.statusId;
  if (plan.userId !== undefined) existing.UserId = plan.userId;
  if (contactId !== undefined) existing.ContactId = contactId;
  Object.assign(existing.fields, plan.fields);
  // Orders are upserted by their Id attribute, so re-sending a card never duplicates its orders.
  for (const order of plan.orders) {
    const index = existing.orders.findIndex((o) => o.Id === order.Id);
    if (index >= 0) existing.orders[index] = order;
    else existing.orders.push(order);
  }
  store.touch(existing);
  return existing.Id;
}

export function handleSyncUpload(store: MiniCrmStore, xml: string): FakeResponse {
  const parsed = parseXml(xml, ['Project', 'Contact', 'Order', 'Product']);
  if (!isRecord(parsed) || parsed.Projects === undefined) return message(400, 'Invalid XML');
  const root = parsed.Projects;
  if (root !== '' && !isRecord(root)) return message(400, 'Invalid XML');
  const projects = root === '' ? [] : asArray(root.Project);
  const results: Record<string, { Id?: number; Status: 'Ok' | 'Error'; Message?: string }> = {};
  projects.forEach((project, index) => {
    const externalId = isRecord(project) ? textOf(project['@_Id'])?.trim() : undefined;
    if (!isRecord(project) || !externalId) {
      results[`#${index + 1}`] = { Status: 'Error', Message: 'Project without Id attribute' };
      return;
    }
    const plan = planProject(store, project, externalId);
    results[externalId] = plan.ok ? { Id: applyPlan(store, plan.value), Status: 'Ok' } : { Status: 'Error', Message: plan.error };
  });
  return json(200, { Status: 'Ok', Count: projects.length, Results: results });
}
