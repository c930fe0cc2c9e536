import type { z } from 'zod';
import { getConnector } from '../../connectors/registry';
import { scenarioConfig } from './config';
import { isMapped, placeholders, refProblem } from './mapping';
import type { FieldError } from '../check-kit';
import type { KindCheck } from '../checks';

const names = (o: object) => Object.keys(o).map((n) => `"${n}"`).join(', ') || 'none';
const at = (prefix: string, path: readonly PropertyKey[]) => [prefix, ...path.map(String)].join('.');

/**
 * The trigger and every action exist on the accounts' systems and their inputs fit the schemas
 * GET /systems publishes; a field filled from a placeholder is checked when its record comes.
 */
export const checkScenario: KindCheck = async (raw, { source, target }) => {
  const config = scenarioConfig.parse(raw);
  const errors: FieldError[] = [];
  const sourceConnector = getConnector(source.system);
  const targetConnector = getConnector(target.system);
  if (!sourceConnector || !targetConnector) return [{ field: sourceConnector ? 'targetAccountId' : 'sourceAccountId', message: 'the account has no connector in this version' }];

  const trigger = sourceConnector.triggers[config.trigger.trigger];
  if (!trigger) {
    errors.push({ field: 'config.trigger.trigger', message: `${sourceConnector.name} has no trigger "${config.trigger.trigger}"; its triggers are ${names(sourceConnector.triggers)}` });
  } else {
    const parsed = trigger.input.safeParse(config.trigger.input);
    if (!parsed.success) errors.push(...issues(parsed.error, 'config.trigger.input'));
    for (const p of placeholders(config.trigger.input)) errors.push({ field: at('config.trigger.input', p.path), message: `{{${p.ref}}}: a trigger's input takes no placeholders` });
  }

  config.actions.forEach((step, index) => {
    const prefix = `config.actions.${index}`;
    const action = targetConnector.actions[step.action];
    if (!action) {
      errors.push({ field: `${prefix}.action`, message: `${targetConnector.name} has no action "${step.action}"; its actions are ${names(targetConnector.actions)}` });
      return;
    }
    for (const p of placeholders(step.input)) {
      const problem = refProblem(p.ref, index);
      if (problem) errors.push({ field: at(`${prefix}.input`, p.path), message: problem });
    }
    const parsed = action.input.safeParse(step.input);
    if (!parsed.success) errors.push(...issues(parsed.error, `${prefix}.input`, (path) => isMapped(step.input, path)));
  });
  return errors;
};

function issues(error: z.ZodError, prefix: string, skip: (path: readonly PropertyKey[]) => boolean = () => false): FieldError[] {
  return error.issues.filter((i) => !skip(i.path)).map((i) => ({ field: at(prefix, i.path), message: i.message }));
}
