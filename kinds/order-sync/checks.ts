import { minicrm } from '../../connectors/minicrm';
import { findCategory, resolveOption, type ProjectSchema } from '../../connectors/minicrm/schema';
import { askProvider, openForCheck, type FieldError } from '../check-kit';
import type { KindCheck } from '../checks';
import { orderSyncConfig } from './config';

/** The names MiniCRM gives its order modules, in English and Hungarian (as the sync looks them up). */
export const ORDERS_MODULE_NAMES = ['Order', 'Orders', 'Megrendelés', 'Rendelés'];
export const WEBSHOP_MODULE_NAMES = ['Webshop', 'Webshops', 'Webáruház'];

const list = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ') || 'none';

/**
 * What the first run would otherwise stop on, checked against the MiniCRM account at save time:
 * the Orders and Webshop modules the XML sync writes to, the owner, the link and status fields,
 * and every MiniCRM status the map names (MiniCRM would quietly pick a random owner for an
 * unknown name, so an unknown one must never reach it).
 */
export const checkOrderSync: KindCheck = async (raw, { deps, target }) => {
  const config = orderSyncConfig.parse(raw);
  const crm = openForCheck(deps, minicrm, target);
  const modules = await askProvider('target.accountId', 'MiniCRM', () => minicrm.actions['list-modules'].run(crm, {}));
  if (!modules.ok) return [modules.error];
  const have = list(Object.entries(modules.value).map(([id, name]) => `${name} (${id})`));

  const errors: FieldError[] = [];
  const moduleId = (field: string, given: number | undefined, names: string[], label: string): number | undefined => {
    if (given !== undefined) {
      if (modules.value[String(given)] !== undefined) return given;
      errors.push({ field, message: `MiniCRM has no module ${given}; its modules are ${have}` });
      return undefined;
    }
    try {
      return findCategory(modules.value, names, label);
    } catch {
      errors.push({ field, message: `MiniCRM has no ${label} module (looked for ${names.join(', ')}), which the XML sync writes to; its modules are ${have}. Enable the module in MiniCRM or give its id here` });
      return undefined;
    }
  };
  const ordersId = moduleId('config.ordersCategoryId', config.ordersCategoryId, ORDERS_MODULE_NAMES, 'Orders');
  moduleId('config.webshopCategoryId', config.webshopCategoryId, WEBSHOP_MODULE_NAMES, 'Webshop');
  if (ordersId === undefined) return errors;

  const schema = await askProvider('config.ordersCategoryId', 'MiniCRM', () => minicrm.actions['get-module-schema'].run(crm, { categoryId: ordersId }));
  if (!schema.ok) return [...errors, schema.error];
  return [...errors, ...orderModuleProblems(config, schema.value)];
};

function orderModuleProblems(config: ReturnType<typeof orderSyncConfig.parse>, orders: ProjectSchema): FieldError[] {
  const errors: FieldError[] = [];
  if (!resolveOption(orders.users, config.owner)) {
    errors.push({ field: 'config.owner', message: `"${config.owner}" is not a MiniCRM user; the users are ${list(Object.values(orders.users))}` });
  }
  for (const [key, field] of [['linkField', config.linkField], ['statusField', config.statusField]] as const) {
    if (field !== undefined && !orders.fields.includes(field)) {
      errors.push({ field: `config.${key}`, message: `the Orders module has no field "${field}"; its fields are ${list(orders.fields)}` });
    }
  }
  for (const [unasStatus, crmStatus] of Object.entries(config.statusMap)) {
    if (!resolveOption(orders.statuses, crmStatus)) {
      errors.push({ field: `config.statusMap.${unasStatus}`, message: `"${crmStatus}" is not a status of the Orders module; its statuses are ${list(Object.values(orders.statuses))}` });
    }
  }
  return errors;
}
