import { isRecord } from './fake-util';
import { CUSTOMERS_FOLDER, CREATED_PROPERTY, UPDATED_PROPERTY, type SumitEntityState, type SumitStore } from './sumit-fake-store';

export type ApiOutcome = { data: unknown } | { error: string; technical?: string };

const ok = (data: unknown = null): ApiOutcome => ({ data });
const fail = (error: string, technical?: string): ApiOutcome => ({ error, technical });

const DOCUMENT_TYPES = ['Invoice', 'InvoiceAndReceipt', 'Receipt', 'DonationReceipt', 'ProformaInvoice', 'PaymentRequest', 'PriceQuotation', 'CreditInvoice', 'CreditInvoiceAndReceipt', 'CreditReceipt', 'Order', 'DeliveryNote'];
const PAYMENT_TYPES = ['General', 'Cash', 'BankTransfer', 'Cheque', 'CreditCard', 'Digital', 'TaxWithholding', 'Other'];
const SEARCH_MODES = ['Automatic', 'None', 'ExternalIdentifier', 'Name', 'CompanyNumber', 'Phone', 'EmailAddress'];

/** Enum values arrive as names, numbers or "Name (n)". */
function enumName(value: unknown, names: string[]): string | undefined {
  if (typeof value === 'number') return names[value];
  if (typeof value !== 'string') return undefined;
  const m = /^(\w+)(?:\s*\(\d+\))?$/.exec(value.trim());
  return m && names.includes(m[1]!) ? m[1] : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Customer Details fields → CRM properties of the Customers folder. */
const CUSTOMER_PROPERTIES: Record<string, string> = {
  Name: 'Customers_FullName',
  Phone: 'Customers_Phone',
  EmailAddress: 'Customers_EmailAddress',
  City: 'Customers_City',
  Address: 'Customers_Address',
  ZipCode: 'Customers_ZipCode',
  CompanyNumber: 'Customers_CompanyNumber',
  ExternalIdentifier: 'Customers_ExternalIdentifier',
  NoVAT: 'Customers_NoVAT',
};

function customerProperties(details: Record<string, unknown>): Record<string, unknown> {
  const props: Record<string, unknown> = isRecord(details.Properties) ? { ...details.Properties } : {};
  for (const [field, property] of Object.entries(CUSTOMER_PROPERTIES)) if (details[field] !== undefined && details[field] !== null) props[property] = details[field];
  return props;
}

const SEARCH_FIELDS: Record<string, string> = { ExternalIdentifier: 'ExternalIdentifier', Name: 'Name', CompanyNumber: 'CompanyNumber', Phone: 'Phone', EmailAddress: 'EmailAddress' };

/** Finds or creates the customer of a Details object, as customers/create and documents/create do. */
function resolveCustomer(store: SumitStore, details: Record<string, unknown>, create: boolean): { customer: SumitEntityState } | { error: string } {
  const id = num(details.ID);
  if (id !== undefined) {
    const c = store.customer(id);
    return c ? { customer: c } : { error: 'Customer not found' };
  }
  const mode = details.SearchMode === undefined || details.SearchMode === null ? 'Automatic' : enumName(details.SearchMode, SEARCH_MODES);
  if (mode === undefined) return { error: 'Invalid SearchMode' };
  const fields = mode === 'Automatic' ? ['ExternalIdentifier', 'CompanyNumber', 'EmailAddress'] : mode === 'None' ? [] : [SEARCH_FIELDS[mode]!];
  for (const field of fields) {
    const found = store.customerBy(CUSTOMER_PROPERTIES[field]!, details[field]);
    if (found) return { customer: found };
  }
  if (!create) return { error: 'Customer not found' };
  if (!str(details.Name)) return { error: 'Missing customer name' };
  return { customer: store.addEntity(CUSTOMERS_FOLDER.id, customerProperties(details)) };
}

const customerData = (c: SumitEntityState) => ({ CustomerID: c.id, CustomerHistoryURL: `https://app.sumit.co.il/crm/entity/${c.id}/history` });

export function createCustomer(store: SumitStore, body: Record<string, unknown>): ApiOutcome {
  if (!isRecord(body.Details)) return fail('Missing customer details');
  const r = resolveCustomer(store, body.Details, true);
  return 'error' in r ? fail(r.error) : ok(customerData(r.customer));
}

export function updateCustomer(store: SumitStore, body: Record<string, unknown>): ApiOutcome {
  if (!isRecord(body.Details)) return fail('Missing customer details');
  const id = num(body.Details.ID);
  const c = id === undefined ? undefined : store.customer(id);
  if (!c) return fail('Customer not found');
  store.updateEntity(c, customerProperties(body.Details));
  return ok(customerData(c));
}

export function createDocument(store: SumitStore, body: Record<string, unknown>, now: number): ApiOutcome {
  const d = body.Details;
  if (!isRecord(d)) return fail('Missing document details');
  const type = enumName(d.Type, DOCUMENT_TYPES);
  if (!type) return fail('Invalid document type', `Type=${JSON.stringify(d.Type)}`);
  if (!Array.isArray(body.Items) || body.Items.length === 0) return fail('Missing document items');
  const items: { name: string; description: string | null; quantity: number; unitPrice: number }[] = [];
  for (const it of body.Items) {
    const name = isRecord(it) && isRecord(it.Item) ? str(it.Item.Name) : undefined;
    if (!isRecord(it) || !name) return fail('Missing Item details');
    const quantity = num(it.Quantity) ?? 1;
    const unitPrice = num(it.UnitPrice);
    if (unitPrice === undefined) return fail('Missing item price');
    items.push({ name, description: str(it.Description) ?? null, quantity, unitPrice });
  }
  const payments: { amount: number; type: string }[] = [];
  for (const p of Array.isArray(body.Payments) ? body.Payments : []) {
    const type = isRecord(p) ? enumName(p.Type ?? 'General', PAYMENT_TYPES) : undefined;
    if (!isRecord(p) || !type || num(p.Amount) === undefined) return fail('Invalid payment details');
    payments.push({ amount: num(p.Amount)!, type });
  }
  if (!isRecord(d.Customer)) return fail('Missing customer details');
  const r = resolveCustomer(store, d.Customer, true);
  if ('error' in r) return fail(r.error);
  const send = isRecord(d.SendByEmail) ? d.SendByEmail : undefined;
  const to = send ? str(send.EmailAddress) : undefined;
  if (send && !to) return fail('Missing email address');
  const doc = store.addDocument({
    type,
    customerId: r.customer.id,
    date: str(d.Date) ?? new Date(now).toISOString().slice(0, 10),
    externalReference: str(d.ExternalReference) ?? null,
    items,
    payments,
    total: items.reduce((s, i) => s + i.quantity * i.unitPrice, 0),
    isDraft: d.IsDraft === true,
  });
  if (send && to) store.emails.push({ documentId: doc.id, to, original: send.Original !== false, message: null, at: now });
  return ok({
    DocumentID: doc.id,
    DocumentNumber: doc.number,
    CustomerID: r.customer.id,
    DocumentDownloadURL: `https://app.sumit.co.il/documents/${doc.id}.pdf`,
    DocumentPaymentURL: null,
  });
}

export function sendDocument(store: SumitStore, body: Record<string, unknown>, now: number): ApiOutcome {
  const id = num(body.EntityID);
  const doc = id === undefined ? undefined : store.documents.get(id);
  if (!doc) return fail('Document not found');
  const to = str(body.EmailAddress) ?? str(store.customer(doc.customerId)?.properties.Customers_EmailAddress);
  if (!to) return fail('Missing email address');
  store.emails.push({ documentId: doc.id, to, original: body.Original !== false, message: str(body.PersonalMessage) ?? null, at: now });
  return ok(null);
}

export function sendSms(store: SumitStore, body: Record<string, unknown>, now: number): ApiOutcome {
  const recipient = str(body.Recipient);
  const text = str(body.Text);
  if (!recipient || !/^\+?[\d\s-]{6,}$/.test(recipient)) return fail('Invalid recipient phone number');
  if (!text) return fail('Missing message text');
  store.sms.push({ recipient, text, sender: str(body.Sender) ?? null, at: now });
  return ok(null);
}

export function listMailingLists(store: SumitStore, kind: 'email' | 'sms'): ApiOutcome {
  return ok({ MailingLists: [...store.mailingLists.values()].filter((l) => l.kind === kind).map((l) => ({ ID: l.id, Name: l.name })) });
}

/** [I] Adding a member twice is refused with an "already" message. */
export function addToMailingList(store: SumitStore, body: Record<string, unknown>, kind: 'email' | 'sms'): ApiOutcome {
  const id = num(body.MailingListID);
  const list = id === undefined ? undefined : store.mailingLists.get(id);
  if (!list || list.kind !== kind) return fail('Mailing list not found');
  const member = kind === 'email' ? str(body.EmailAddress) : str(body.PhoneNumber);
  if (!member || (kind === 'email' && !member.includes('@'))) return fail(kind === 'email' ? 'Invalid email address' : 'Invalid phone number');
  if (list.members.has(member)) return fail('The recipient is already on the mailing list');
  list.members.set(member, str(body.Name) ?? '');
  return ok(null);
}

export function listFolders(store: SumitStore): ApiOutcome {
  return ok({ Folders: store.folders.map((f) => ({ ID: f.id, Name: f.name })) });
}

const sortValue = (e: SumitEntityState, property: string): number | string => {
  if (property === CREATED_PROPERTY) return e.createdAt;
  if (property === UPDATED_PROPERTY) return e.updatedAt;
  if (property === 'ID') return e.id;
  const v = e.properties[property];
  return typeof v === 'number' ? v : typeof v === 'string' ? v : '';
};

/** Live entities only (archived and deleted ones are not listed [I]); ties always by id, so pages are stable. */
export function listEntities(store: SumitStore, body: Record<string, unknown>): ApiOutcome {
  const folder = store.folder(body.Folder);
  if (!folder) return fail('Folder not found');
  const paging = isRecord(body.Paging) ? body.Paging : {};
  const start = Math.max(0, num(paging.StartIndex) ?? 0);
  const size = Math.max(10, num(paging.PageSize) ?? 10);
  if (size > 1000) return fail('Page size must not exceed 1000');
  const order = isRecord(body.Order) ? body.Order : undefined;
  const property = order ? str(order.Property) : undefined;
  const sign = order?.Descending === true ? -1 : 1;
  const live = [...store.entities.values()].filter((e) => e.folderId === folder.id && !e.archived && !e.deleted);
  live.sort((a, b) => {
    if (property) {
      const va = sortValue(a, property);
      const vb = sortValue(b, property);
      if (va !== vb) return (va < vb ? -1 : 1) * sign;
    }
    return a.id - b.id;
  });
  const page = live.slice(start, start + size);
  return ok({ Entities: page.map((e) => store.view(e, body.LoadProperties === true)), HasNextPage: start + size < live.length });
}

export function getEntity(store: SumitStore, body: Record<string, unknown>): ApiOutcome {
  const id = num(body.EntityID);
  const e = id === undefined ? undefined : store.entities.get(id);
  if (!e || e.deleted) return fail('Entity not found');
  return ok({ Entity: { ...store.view(e, true), Archived: e.archived } });
}
