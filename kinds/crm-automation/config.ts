import { z } from 'zod';
import { assignIds } from '../entry-ids';

const fieldValue = z.union([z.string().min(1), z.number(), z.boolean()]);

export const automationConfig = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, up to 40')
      .describe('Stable id of the automation within the integration (it keys what was done for each record); given at save time when left out'),
    trigger: z
      .object({
        folderId: z.string().min(1).describe('NetHunt folder to watch'),
        field: z.string().min(1).describe('Field of the folder whose value starts the automation'),
        value: fieldValue.describe('The value the field must take'),
      })
      .strict(),
    task: z
      .object({
        projectId: z.string().regex(/^\d+$/, 'a Worksection project id (digits)').describe('Worksection project that gets the tasks'),
        title: z.string().min(1).max(500).describe('Task name; {{Field name}} inserts a field of the record'),
        maxTime: z.number().nonnegative().optional().describe('Planned hours (max_time)'),
        priority: z.number().int().min(0).max(10).optional().describe('0 (lowest) to 10'),
        assignee: z.email().optional().describe("Assignee's e-mail in Worksection"),
        dueInDays: z.number().int().min(0).max(3650).optional().describe('Due date, days after the task is created'),
      })
      .strict(),
    importFields: z.array(z.string().min(1)).default([]).describe("Record fields copied into the task's description"),
    onClose: z
      .object({
        field: z.string().min(1).describe('NetHunt field written when the task is closed'),
        value: fieldValue.describe('The value written'),
      })
      .strict(),
  })
  .strict()
  .refine((a) => !(a.onClose.field === a.trigger.field && a.onClose.value === a.trigger.value), {
    message: 'writing back the trigger value would start the automation again; choose another value or field',
    path: ['onClose', 'value'],
  });

export const crmAutomationConfig = z
  .object({
    pollIntervalSeconds: z.number().int().min(60).max(86_400).default(300).describe('How often NetHunt and Worksection are polled'),
    automations: z.array(automationConfig).min(1, 'at least one automation').max(50),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.automations.forEach((a, i) => {
      if (seen.has(a.id)) ctx.addIssue({ code: 'custom', message: `automation id "${a.id}" is used twice`, path: ['automations', i, 'id'] });
      seen.add(a.id);
    });
  });

export type CrmAutomationConfig = z.infer<typeof crmAutomationConfig>;

/** An automation sent without an id gets one when saved (auto-…), and keeps it while it stays the same. */
export function withAutomationIds(automations: unknown, saved: unknown): unknown {
  return assignIds(automations, saved, {
    prefix: 'auto',
    normalize: (entry) => {
      const parsed = automationConfig.safeParse(entry);
      return parsed.success ? parsed.data : null;
    },
  });
}
export type AutomationConfig = z.infer<typeof automationConfig>;

/** {{Field name}} → the record's value of that field (lists joined by ", "; missing fields empty). */
export function renderTitle(template: string, fields: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_m, name: string) => formatValue(fields[name])).trim();
}

export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** Whether a record's field holds the value (a multi-value field: any of its values). */
export function fieldHasValue(fieldValueOfRecord: unknown, value: string | number | boolean): boolean {
  const values = Array.isArray(fieldValueOfRecord) ? fieldValueOfRecord : [fieldValueOfRecord];
  return values.some((v) => v === value || (v !== null && v !== undefined && String(v as string) === String(value)));
}

/** For the confirmation asked before an integration and its automations are deleted. */
export function describeAutomations(config: CrmAutomationConfig): string | null {
  const ids = config.automations.map((a) => a.id);
  return ids.length ? `its ${ids.length} automation(s): ${ids.join(', ')}` : null;
}
