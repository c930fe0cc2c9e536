/**
 * The JSON the console reads, as the API documents it (api/schemas.ts, api/hub.ts, api/catalogue.ts,
 * workflows/control.ts). Written out here because ui/ is bundled for the browser and imports nothing
 * from the server; only the fields the pages use.
 */

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
  /** A 409 of a switch: the integrations it would stop. */
  integrations?: { id: string; name: string; kind: string }[];
}

export type AccountStatus = 'unchecked' | 'active' | 'inactive';

export interface Account {
  id: string;
  system: string;
  name: string;
  baseUrl: string;
  status: AccountStatus;
  statusReason: string | null;
  functionalities: Record<string, boolean>;
  checkedAt: string | null;
}

export interface HubItem {
  functionality: string;
  label: string;
  systems: { id: string; name: string; authType: string; oauth?: boolean }[];
  accounts: { id: string; name: string; system: string; status: AccountStatus; enabled: boolean }[];
}

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  format?: string;
  writeOnly?: boolean;
  'x-secret'?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
}

export interface SystemView {
  id: string;
  name: string;
  functionalities: string[];
  defaultBaseUrl: string;
  /** `oauth`: the system connects by OAuth besides its `type` (Worksection: admin key or OAuth). */
  auth: { type: string; oauth?: boolean; secretFields: string[]; schema: JsonSchema };
  /** What a scenario's target can do with a record (GET /systems). */
  actions: StepView[];
  /** What a scenario's source reports. */
  triggers: StepView[];
}

/** A trigger or an action of a system, with the JSON Schema of its input. */
export interface StepView {
  key: string;
  name: string;
  description: string;
  input: JsonSchema;
}

/** POST /scenarios/sample and POST /integrations/:id/sample: recent records of a trigger, newest first. */
export interface TriggerSample {
  system: string;
  trigger: string;
  records: { id: string; data: unknown }[];
  /** Each field of the records as the placeholder that maps it ({{record.properties.Name}}), with the newest record's value. */
  fields: { placeholder: string; example: unknown }[];
}

export type IntegrationState = 'running' | 'idle' | 'paused' | 'failed' | 'stopped' | 'unknown';

export interface RunCounts {
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  held: number;
  failed: number;
}

export interface IntegrationStatus {
  state: IntegrationState;
  counts?: RunCounts;
  runs?: number;
  lastRunStartedAt?: string | null;
  lastRunFinishedAt?: string | null;
  lastRunCounts?: RunCounts | null;
  nextRunAt?: string | null;
  lastError?: { message: string; type: string | null; at: string } | null;
  blocked?: Record<string, string>;
  /** Why the status is unknown (the workflow did not answer). */
  reason?: string;
  /** The last runs, oldest first, as the workflow keeps them. */
  recentRuns?: RunRecord[];
}

export interface RunRecord {
  startedAt: string;
  finishedAt: string;
  reason: string;
  counts: RunCounts;
  outcome: 'completed' | 'failed' | 'interrupted';
  error: string | null;
}

export interface Integration {
  id: string;
  kind: string;
  name: string;
  source: { accountId: string };
  target: { accountId: string };
  config: Record<string, unknown>;
  enabled: boolean;
  workflowId: string;
  createdAt: string;
  status?: IntegrationStatus;
  countLabels?: Partial<Record<keyof RunCounts, string>>;
}

/** sms-send's runs (GET /integrations/:id/runs). */
export interface SmsRun {
  id: string;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  rowsRead: number;
  sent: number;
  rejected: number;
  failed: number;
  error: string | null;
}

export interface ConsoleSettings {
  temporalUiUrl: string;
  namespace: string;
}

/** GET /kinds: what a form needs to create an integration of a kind. */
export interface KindView {
  kind: string;
  description: string;
  source: string[];
  target: string[];
  /** JSON Schema of the config, as POST /integrations takes it. */
  config: JsonSchema;
  immutable: string[];
  counts: Record<string, string>;
  callbacks: string | null;
}

/** GET /accounts/:id/lookups/:name */
export interface LookupItem {
  value: string;
  label: string;
  /** NetHunt folders: whether records there can be written back. */
  writable?: boolean;
}

/** sms-send's messages (GET /integrations/:id/messages), in the order of the sheet's rows. */
export const SMS_STATES = ['pending', 'sending', 'queued', 'sent', 'delivered', 'undelivered', 'rejected', 'failed'] as const;
export type SmsState = (typeof SMS_STATES)[number];

export interface SmsMessage {
  row: string;
  phone: string;
  text: string;
  state: SmsState;
  reason: string | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

/** A scenario's step for one record (GET /integrations/:id/deliveries). */
export interface Delivery {
  record: string;
  step: string;
  state: 'done' | 'held' | 'under-way';
  reason: string | null;
  /** Held because the step may have been carried out already: a retry may do it twice. */
  inDoubt: boolean;
  retryRequested: boolean;
  attempts: number;
  updatedAt: string;
}

/** A crm-automation's automation (GET /integrations/:id/automations). */
export interface Automation {
  id: string;
  trigger: { folderId: string; field: string; value: string | number | boolean };
  task: { projectId: string; title: string; maxTime?: number; priority?: number; assignee?: string; dueInDays?: number };
  importFields: string[];
  onClose: { field: string; value: string | number | boolean };
}

/** GET /integrations/:id/suggestions: the values most used in a field of recent records. */
export interface Suggestions {
  folder: string;
  field: string;
  basedOnRecords: number;
  items: { value: string; records: number }[];
}
