import { validationError } from '../../connectors/kit/errors';
import type { ConnectorContext } from '../../connectors/kit/types';
import { minicrm } from '../../connectors/minicrm';
import type { MiniCrmCredentials } from '../../connectors/minicrm/auth';
import { findCategory, resolveOption, type ProjectSchema } from '../../connectors/minicrm/schema';
import { ORDERS_MODULE_NAMES, WEBSHOP_MODULE_NAMES } from '../../kinds/order-sync/checks';
import type { OrderSyncConfig } from '../../kinds/order-sync/config';

/** Everything the mapping needs from MiniCRM, resolved to ids and checked once per config. */
export interface MiniCrmTargets {
  ordersCategoryId: number;
  webshopCategoryId: number;
  ownerId: string;
  /** UNAS status → MiniCRM status id */
  statusIds: Map<string, string>;
  linkField: string;
  statusField?: string;
}

const cache = new Map<string, { at: number; schemas: { categories: Record<string, string>; orders: ProjectSchema; webshop: ProjectSchema } }>();
const TTL_MS = 10 * 60 * 1000;

async function loadSchemas(ctx: ConnectorContext<MiniCrmCredentials>, config: OrderSyncConfig) {
  const key = `${ctx.accountId}:${config.ordersCategoryId ?? ''}:${config.webshopCategoryId ?? ''}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.schemas;
  const categories = await minicrm.actions['list-modules'].run(ctx, {});
  const ordersId = config.ordersCategoryId ?? findCategory(categories, ORDERS_MODULE_NAMES, 'Orders');
  const webshopId = config.webshopCategoryId ?? findCategory(categories, WEBSHOP_MODULE_NAMES, 'Webshop');
  for (const [id, label] of [[ordersId, 'ordersCategoryId'], [webshopId, 'webshopCategoryId']] as const) {
    if (!categories[String(id)]) throw validationError('minicrm', `config.${label}: MiniCRM has no module ${id}; it has ${Object.entries(categories).map(([i, n]) => `${n} (${i})`).join(', ')}`);
  }
  const schema = minicrm.actions['get-module-schema'];
  const schemas = { categories, orders: await schema.run(ctx, { categoryId: ordersId }), webshop: await schema.run(ctx, { categoryId: webshopId }) };
  cache.set(key, { at: Date.now(), schemas });
  return schemas;
}

/**
 * Resolves names to MiniCRM ids and checks the config against the account's real schema, so a
 * typo fails the integration with a clear message instead of writing wrong data (MiniCRM silently
 * assigns a random user for an unknown owner name).
 */
export async function resolveTargets(ctx: ConnectorContext<MiniCrmCredentials>, config: OrderSyncConfig): Promise<MiniCrmTargets> {
  const schemas = await loadSchemas(ctx, config);
  const orders = schemas.orders;
  const ownerId = resolveOption(orders.users, config.owner);
  if (!ownerId) {
    throw validationError('minicrm', `config.owner: "${config.owner}" is not a MiniCRM user; users are ${Object.values(orders.users).join(', ') || 'none'}`);
  }
  for (const [label, field] of [['linkField', config.linkField], ['statusField', config.statusField]] as const) {
    if (field !== undefined && !orders.fields.includes(field)) {
      throw validationError('minicrm', `config.${label}: the Orders module has no field "${field}"; its fields are ${orders.fields.join(', ')}`);
    }
  }
  const statusIds = new Map<string, string>();
  const unmappedTargets: string[] = [];
  for (const [unasStatus, crmStatus] of Object.entries(config.statusMap)) {
    const id = resolveOption(orders.statuses, crmStatus);
    if (id) statusIds.set(unasStatus, id);
    else unmappedTargets.push(crmStatus);
  }
  if (unmappedTargets.length > 0) {
    throw validationError('minicrm', `config.statusMap: ${unmappedTargets.map((s) => `"${s}"`).join(', ')} ${unmappedTargets.length > 1 ? 'are not statuses' : 'is not a status'} of the Orders module; its statuses are ${Object.values(orders.statuses).join(', ')}`);
  }
  return {
    ordersCategoryId: orders.categoryId,
    webshopCategoryId: schemas.webshop.categoryId,
    ownerId,
    statusIds,
    linkField: config.linkField,
    statusField: config.statusField,
  };
}
