export interface MiniCrmSyncProduct {
  Id: string;
  Name: string;
  SKU: string;
  PriceNet: string;
  Quantity: string;
  Unit: string;
  VAT: string;
}

export interface MiniCrmSyncOrder {
  Id: string;
  Number: string;
  CurrencyCode: string;
  Status: string;
  Customer: Record<string, string>;
  Products: MiniCrmSyncProduct[];
  /** Any other scalar child of `<Order>`. */
  fields: Record<string, string>;
}

export interface MiniCrmCard {
  Id: number;
  /** The `<Project Id="…">` of the XML sync; null for cards created through R3. */
  ExternalId: string | null;
  CategoryId: number;
  Name: string;
  StatusId: number;
  UserId: number | null;
  ContactId: number | null;
  Deleted: 0 | 1;
  /** Custom fields of the category, values as strings. */
  fields: Record<string, string>;
  orders: MiniCrmSyncOrder[];
  createdAt: number;
  updatedAt: number;
  /** Updates applied after creation (R3 PUT or a repeated sync upload). */
  updateCount: number;
}

export interface MiniCrmContact {
  Id: number;
  ExternalId: string | null;
  Type: 'Person' | 'Business';
  Name: string;
  FirstName: string;
  LastName: string;
  Email: string;
  Phone: string;
  BusinessId: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface MiniCrmConfig {
  systemId: number;
  categories: Record<string, string>;
  /** categoryId → statusId → status name */
  statuses: Record<string, Record<string, string>>;
  users: Record<string, string>;
  /** categoryId → field name → schema type (`Int`, `Text(512)`, …) */
  customFields: Record<string, Record<string, string>>;
}

export const DEFAULT_MINICRM_CONFIG: Omit<MiniCrmConfig, 'systemId'> = {
  categories: { '1': 'Sales', '17': 'Orders', '18': 'Webshop' },
  statuses: {
    '1': { '2501': 'Érdeklődő', '2502': 'Sikeres', '2503': 'Sikertelen' },
    '17': { '3001': 'Új rendelés', '3002': 'Feldolgozás', '3003': 'Teljesítve', '3004': 'Sztornó' },
    '18': { '3101': 'Aktív vásárló' },
  },
  users: { '101': 'Kovács Anna', '102': 'Nagy Péter' },
  customFields: {
    '1': {},
    '17': { UnasLink: 'Text(1024)', UnasStatus: 'Text(512)', OrderTotal: 'Int' },
    '18': { WebshopName: 'Text(512)', CustomerEmail: 'Text(512)' },
  },
};

export const STANDARD_PROJECT_FIELDS = ['Name', 'CategoryId', 'StatusId', 'UserId', 'ContactId'] as const;

/** Returns an error message when the value does not fit the schema type. */
export function checkFieldValue(name: string, type: string, value: string): string | undefined {
  if (type === 'Int' && !/^-?\d+$/.test(value)) return `Invalid value for ${name}`;
  const textMax = /^Text\((\d+)\)$/.exec(type)?.[1];
  if (textMax !== undefined && value.length > Number(textMax)) return `Value too long for ${name}`;
  return undefined;
}

export class MiniCrmStore {
  readonly cards = new Map<number, MiniCrmCard>();
  readonly contacts = new Map<number, MiniCrmContact>();
  /** By external id: the XML sync looks one up per project, and a scan made a 10,000-order upload quadratic. */
  private readonly cardsByExternalId = new Map<string, MiniCrmCard>();
  private readonly contactsByExternalId = new Map<string, MiniCrmContact>();
  private nextCardId = 2001;
  private nextContactId = 7001;

  constructor(
    readonly config: MiniCrmConfig,
    private readonly now: () => number,
    private readonly random: () => number,
  ) {}

  customFields(categoryId: number): Record<string, string> {
    return this.config.customFields[String(categoryId)] ?? {};
  }

  hasCategory(categoryId: number): boolean {
    return this.config.categories[String(categoryId)] !== undefined;
  }

  /** A status id, or the status's name as MiniCRM's R3 also accepts. */
  resolveStatus(categoryId: number, value: unknown): number | undefined {
    const statuses = this.config.statuses[String(categoryId)] ?? {};
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
    if (text === undefined) return undefined;
    if (statuses[text] !== undefined) return Number(text);
    const byName = Object.entries(statuses).find(([, name]) => name === text);
    return byName ? Number(byName[0]) : undefined;
  }

  firstStatus(categoryId: number): number {
    const first = Object.keys(this.config.statuses[String(categoryId)] ?? {})[0];
    if (first === undefined) throw new Error(`MiniCrmFake: category ${categoryId} has no statuses`);
    return Number(first);
  }

  /**
   * Documented quirk: an unknown user NAME is accepted and a random user is assigned.
   * An unknown numeric id is an invalid dropdown value.
   */
  resolveUser(value: unknown): number | null | undefined {
    if (value === null) return null;
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
    if (text === undefined) return undefined;
    if (this.config.users[text] !== undefined) return Number(text);
    if (/^\d+$/.test(text)) return undefined;
    const byName = Object.entries(this.config.users).find(([, name]) => name === text);
    if (byName) return Number(byName[0]);
    const ids = Object.keys(this.config.users);
    const randomId = ids[Math.floor(this.random() * ids.length)];
    return randomId === undefined ? null : Number(randomId);
  }

  userName(userId: number | null): string | null {
    return userId === null ? null : (this.config.users[String(userId)] ?? null);
  }

  createCard(init: Pick<MiniCrmCard, 'CategoryId'> & Partial<Omit<MiniCrmCard, 'Id' | 'createdAt' | 'updatedAt' | 'updateCount'>>): MiniCrmCard {
    const now = this.now();
    const card: MiniCrmCard = {
      Id: this.nextCardId++,
      ExternalId: init.ExternalId ?? null,
      CategoryId: init.CategoryId,
      Name: init.Name ?? '',
      StatusId: init.StatusId ?? this.firstStatus(init.CategoryId),
      UserId: init.UserId ?? null,
      ContactId: init.ContactId ?? null,
      Deleted: init.Deleted ?? 0,
      fields: { ...init.fields },
      orders: [...(init.orders ?? [])],
      createdAt: now,
      updatedAt: now,
      updateCount: 0,
    };
    this.cards.set(card.Id, card);
    this.indexCard(card);
    return card;
  }

  /** After a card's external id or module changed (R3 updates): the first card with an external id keeps it. */
  indexCard(card: MiniCrmCard): void {
    if (card.ExternalId === null) return;
    const key = `${card.CategoryId}\u0000${card.ExternalId}`;
    const known = this.cardsByExternalId.get(key);
    if (!known || known.ExternalId !== card.ExternalId || known.CategoryId !== card.CategoryId) this.cardsByExternalId.set(key, card);
  }

  touch(card: MiniCrmCard): void {
    card.updatedAt = this.now();
    card.updateCount += 1;
  }

  cardByExternalId(categoryId: number, externalId: string): MiniCrmCard | undefined {
    const card = this.cardsByExternalId.get(`${categoryId}\u0000${externalId}`);
    return card && card.CategoryId === categoryId && card.ExternalId === externalId ? card : undefined;
  }

  saveContact(
    fields: Partial<Omit<MiniCrmContact, 'Id' | 'createdAt' | 'updatedAt'>>,
    existing?: MiniCrmContact,
  ): MiniCrmContact {
    const now = this.now();
    const contact: MiniCrmContact = existing ?? {
      Id: this.nextContactId++,
      ExternalId: null,
      Type: 'Person',
      Name: '',
      FirstName: '',
      LastName: '',
      Email: '',
      Phone: '',
      BusinessId: null,
      createdAt: now,
      updatedAt: now,
    };
    Object.assign(contact, fields, { updatedAt: now });
    if (contact.Type === 'Person' && fields.Name === undefined && (fields.FirstName !== undefined || fields.LastName !== undefined)) {
      // Hungarian name order: family name first.
      contact.Name = `${contact.LastName} ${contact.FirstName}`.trim();
    }
    this.contacts.set(contact.Id, contact);
    const known = contact.ExternalId === null ? undefined : this.contactsByExternalId.get(contact.ExternalId);
    if (contact.ExternalId !== null && (!known || known.ExternalId !== contact.ExternalId)) this.contactsByExternalId.set(contact.ExternalId, contact);
    return contact;
  }

  contactByExternalId(externalId: string): MiniCrmContact | undefined {
    const contact = this.contactsByExternalId.get(externalId);
    return contact?.ExternalId === externalId ? contact : undefined;
  }
}
