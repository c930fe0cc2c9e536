import { text } from './config-values';

/** One automation as the form holds it: what the inputs show, as text. */
export interface AutomationDraft {
  /** For the list's keys only: drafts have no id until saved. */
  key: number;
  /** The saved id, kept so what was done for each record stays with it. */
  id: string;
  folderId: string;
  field: string;
  value: string;
  projectId: string;
  title: string;
  assignee: string;
  maxTime: string;
  priority: string;
  dueInDays: string;
  importFields: string[];
  closeField: string;
  closeValue: string;
  /** The trigger and close values as saved: a number or true keeps its type while its text is unchanged. */
  saved: { value?: unknown; closeValue?: unknown };
}

let nextKey = 1;

export function emptyDraft(): AutomationDraft {
  return { key: nextKey++, id: '', folderId: '', field: '', value: '', projectId: '', title: '', assignee: '', maxTime: '', priority: '', dueInDays: '', importFields: [], closeField: '', closeValue: '', saved: {} };
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {});

/** The saved config's automations, as drafts. */
export function draftsOf(automations: unknown): AutomationDraft[] {
  if (!Array.isArray(automations)) return [];
  return automations.map((raw) => {
    const a = obj(raw);
    const [trigger, task, onClose] = [obj(a.trigger), obj(a.task), obj(a.onClose)];
    return {
      ...emptyDraft(),
      id: text(a.id),
      folderId: text(trigger.folderId),
      field: text(trigger.field),
      value: text(trigger.value),
      projectId: text(task.projectId),
      title: text(task.title),
      assignee: text(task.assignee),
      maxTime: text(task.maxTime),
      priority: text(task.priority),
      dueInDays: text(task.dueInDays),
      importFields: Array.isArray(a.importFields) ? a.importFields.map(text) : [],
      closeField: text(onClose.field),
      closeValue: text(onClose.value),
      saved: { value: trigger.value, closeValue: onClose.value },
    };
  });
}

const typed = (shown: string, saved: unknown) => (saved !== undefined && text(saved) === shown ? saved : shown);
const num = (s: string) => (s.trim() === '' ? undefined : Number(s));

/** A draft as the config stores it; optional numbers left empty are left out. */
export function automationOf(d: AutomationDraft): Record<string, unknown> {
  const task: Record<string, unknown> = { projectId: d.projectId, title: d.title };
  if (d.assignee) task.assignee = d.assignee;
  for (const [key, value] of [['maxTime', num(d.maxTime)], ['priority', num(d.priority)], ['dueInDays', num(d.dueInDays)]] as const) if (value !== undefined) task[key] = value;
  return {
    ...(d.id && { id: d.id }),
    trigger: { folderId: d.folderId, field: d.field, value: typed(d.value, d.saved.value) },
    task,
    importFields: d.importFields,
    onClose: { field: d.closeField, value: typed(d.closeValue, d.saved.closeValue) },
  };
}

/** What the form can tell without the server, by the field names the API uses. */
export function draftProblems(d: AutomationDraft, at: string): Record<string, string> {
  const m: Record<string, string> = {};
  if (!d.folderId) m[`${at}.trigger.folderId`] = 'Choose the NetHunt folder to watch.';
  if (!d.field) m[`${at}.trigger.field`] = 'Choose the field whose value starts the automation.';
  if (!d.value.trim()) m[`${at}.trigger.value`] = 'Give the value that starts it.';
  if (!d.projectId) m[`${at}.task.projectId`] = 'Choose the Worksection project that gets the tasks.';
  if (!d.title.trim()) m[`${at}.task.title`] = 'Give the task a title.';
  if (!d.closeField) m[`${at}.onClose.field`] = 'Choose the field written when the task is closed.';
  if (!d.closeValue.trim()) m[`${at}.onClose.value`] = 'Give the value written when the task is closed.';
  const numbers = [
    ['maxTime', d.maxTime, /^\d+(\.\d+)?$/, 'hours, e.g. 4 or 1.5'],
    ['priority', d.priority, /^\d+$/, 'a whole number from 0 to 10'],
    ['dueInDays', d.dueInDays, /^\d+$/, 'a whole number of days'],
  ] as const;
  for (const [key, value, pattern, what] of numbers) if (value.trim() && !pattern.test(value.trim())) m[`${at}.task.${key}`] = `Give ${what}, or leave it empty.`;
  return m;
}
