/** State of the fake SUMIT account: CRM folders and entities (customers are entities too), documents, messages, lists. */

export interface SumitFolderState {
  id: number;
  name: string;
}

export interface SumitEntityState {
  id: number;
  folderId: number;
  properties: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  deleted: boolean;
}

export interface SumitDocumentState {
  id: number;
  number: number;
  type: string;
  customerId: number;
  date: string;
  externalReference: string | null;
  items: { name: string; description: string | null; quantity: number; unitPrice: number }[];
  payments: { amount: number; type: string }[];
  total: number;
  isDraft: boolean;
}

export interface SumitEmailState {
  documentId: number;
  to: string;
  original: boolean;
  message: string | null;
  at: number;
}

export interface SumitSmsState {
  recipient: string;
  text: string;
  sender: string | null;
  at: number;
}

export interface SumitMailingListState {
  id: number;
  name: string;
  kind: 'email' | 'sms';
  /** E-mail address or phone number → display name. */
  members: Map<string, string>;
}

export const CUSTOMERS_FOLDER = { id: 1001, name: 'Customers' };
export const DEFAULT_FOLDERS: SumitFolderState[] = [CUSTOMERS_FOLDER, { id: 1002, name: 'Leads' }, { id: 1003, name: 'Projects' }];

/** [I] Names of the system time properties; the connector defaults to the same guess. */
export const CREATED_PROPERTY = 'CreationTime';
export const UPDATED_PROPERTY = 'LastUpdateTime';

/** Second precision, as stored by SUMIT [I]: ties within one second are the normal case. */
export function sumitTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export class SumitStore {
  readonly folders: SumitFolderState[];
  readonly entities = new Map<number, SumitEntityState>();
  readonly documents = new Map<number, SumitDocumentState>();
  readonly emails: SumitEmailState[] = [];
  readonly sms: SumitSmsState[] = [];
  readonly mailingLists = new Map<number, SumitMailingListState>();
  private nextEntityId = 500_001;
  private nextDocumentId = 900_001;
  private readonly nextNumber = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    folders: SumitFolderState[] = DEFAULT_FOLDERS,
  ) {
    this.folders = folders.map((f) => ({ ...f }));
  }

  /** A folder by FolderID or by name, as SUMIT accepts both. */
  folder(ref: unknown): SumitFolderState | undefined {
    const text = typeof ref === 'number' ? String(ref) : typeof ref === 'string' ? ref.trim() : undefined;
    if (text === undefined) return undefined;
    return this.folders.find((f) => String(f.id) === text || f.name === text);
  }

  addEntity(folderId: number, properties: Record<string, unknown>, at = this.now()): SumitEntityState {
    const t = Math.floor(at / 1000) * 1000;
    const entity: SumitEntityState = { id: this.nextEntityId++, folderId, properties: { ...properties }, createdAt: t, updatedAt: t, archived: false, deleted: false };
    this.entities.set(entity.id, entity);
    return entity;
  }

  updateEntity(entity: SumitEntityState, properties: Record<string, unknown>, at = this.now()): void {
    for (const [k, v] of Object.entries(properties)) if (v !== undefined) entity.properties[k] = v;
    entity.updatedAt = Math.floor(at / 1000) * 1000;
  }

  /** The entity as listentities / getentity return it, with its system time properties. */
  view(entity: SumitEntityState, withProperties: boolean): Record<string, unknown> {
    const folder = this.folders.find((f) => f.id === entity.folderId);
    return {
      ID: entity.id,
      Folder: String(folder?.id ?? entity.folderId),
      Properties: withProperties ? { ...entity.properties, [CREATED_PROPERTY]: sumitTime(entity.createdAt), [UPDATED_PROPERTY]: sumitTime(entity.updatedAt) } : null,
    };
  }

  customer(id: number): SumitEntityState | undefined {
    const e = this.entities.get(id);
    return e && e.folderId === CUSTOMERS_FOLDER.id && !e.deleted ? e : undefined;
  }

  customerBy(property: string, value: unknown): SumitEntityState | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    for (const e of this.entities.values()) {
      if (e.folderId === CUSTOMERS_FOLDER.id && !e.deleted && e.properties[property] === value) return e;
    }
    return undefined;
  }

  addDocument(doc: Omit<SumitDocumentState, 'id' | 'number'>): SumitDocumentState {
    const number = this.nextNumber.get(doc.type) ?? 1;
    this.nextNumber.set(doc.type, number + 1);
    const stored: SumitDocumentState = { ...doc, id: this.nextDocumentId++, number };
    this.documents.set(stored.id, stored);
    return stored;
  }

  addMailingList(kind: 'email' | 'sms', name: string, id?: number): SumitMailingListState {
    const list: SumitMailingListState = { id: id ?? 7000 + this.mailingLists.size + 1, name, kind, members: new Map() };
    this.mailingLists.set(list.id, list);
    return list;
  }
}
