import { nethunt } from '../../connectors/nethunt';
import { worksection } from '../../connectors/worksection';
import { crmAutomationConfig } from './config';
import type { FieldError } from '../check-kit';
import type { KindCheck } from '../checks';
import { askProvider, openForCheck } from '../check-kit';

const list = (names: string[]) => names.map((n) => `"${n}"`).join(', ') || 'none';

/** Every folder, field, project and assignee an automation names exists, and the write-back folder is writable. */
export const checkCrmAutomation: KindCheck = async (raw, { deps, source, target }) => {
  const config = crmAutomationConfig.parse(raw);
  const crm = openForCheck(deps, nethunt, source);
  const ws = openForCheck(deps, worksection, target);
  const errors: FieldError[] = [];

  const readable = await askProvider('source.accountId', 'NetHunt', () => nethunt.actions['list-readable-folders'].run(crm, {}));
  const writable = await askProvider('source.accountId', 'NetHunt', () => nethunt.actions['list-writable-folders'].run(crm, {}));
  const projects = await askProvider('target.accountId', 'Worksection', () => worksection.actions['list-projects'].run(ws, {}));
  const users = await askProvider('target.accountId', 'Worksection', () => worksection.actions['list-users'].run(ws, {}));
  for (const r of [readable, writable, projects, users]) if (!r.ok) errors.push(r.error);
  if (!readable.ok || !writable.ok || !projects.ok || !users.ok) return dedupe(errors);

  const fieldsByFolder = new Map<string, string[] | null>();
  for (const [i, a] of config.automations.entries()) {
    const at = `config.automations.${i}`;
    const folder = readable.value.find((f) => f.id === a.trigger.folderId);
    if (!folder) {
      errors.push({ field: `${at}.trigger.folderId`, message: `no readable NetHunt folder with id ${a.trigger.folderId}; folders are ${list(readable.value.map((f) => `${f.name} (${f.id})`))}` });
    } else {
      if (!fieldsByFolder.has(folder.id)) {
        const fields = await askProvider(`${at}.trigger.folderId`, 'NetHunt', () => nethunt.actions['list-folder-fields'].run(crm, { folderId: folder.id }));
        fieldsByFolder.set(folder.id, fields.ok ? fields.value : null);
        if (!fields.ok) errors.push(fields.error);
      }
      const fields = fieldsByFolder.get(folder.id);
      if (fields) {
        const missing = (field: string, path: string) => {
          if (!fields.includes(field)) errors.push({ field: path, message: `folder "${folder.name}" has no field "${field}"; its fields are ${list(fields)}` });
        };
        missing(a.trigger.field, `${at}.trigger.field`);
        missing(a.onClose.field, `${at}.onClose.field`);
        a.importFields.forEach((f, j) => missing(f, `${at}.importFields.${j}`));
      }
      if (!writable.value.some((f) => f.id === folder.id)) {
        errors.push({ field: `${at}.onClose.field`, message: `this NetHunt user can read folder "${folder.name}" but not write to it, so closing a task could not write back; give the user write access` });
      }
    }
    if (!projects.value.some((p) => p.id === a.task.projectId)) {
      errors.push({ field: `${at}.task.projectId`, message: `no Worksection project with id ${a.task.projectId}; projects are ${list(projects.value.map((p) => `${p.name} (${p.id})`))}` });
    }
    if (a.task.assignee && !users.value.some((u) => u.email.toLowerCase() === a.task.assignee!.toLowerCase())) {
      errors.push({ field: `${at}.task.assignee`, message: `no Worksection user with e-mail ${a.task.assignee}` });
    }
  }
  return errors;
};

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => !seen.has(`${e.field}|${e.message}`) && seen.add(`${e.field}|${e.message}`));
}
