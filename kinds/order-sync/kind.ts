import { defineKind } from '../define-kind';
import { checkOrderSync } from './checks';
import { orderSyncConfig } from './config';

export const orderSync = defineKind({
  kind: 'order-sync',
  description: 'Webshop orders to CRM cards (UNAS → MiniCRM)',
  source: ['unas'],
  target: ['minicrm'],
  config: orderSyncConfig,
  immutable: ['syncFrom'],
  check: checkOrderSync,
  uses: () => ({ source: ['orders'], target: ['crm'] }),
  counts: {
    fetched: 'orders read',
    created: 'cards created',
    updated: 'cards updated',
    unchanged: 'orders unchanged since their last write',
    held: 'orders held: their status is not in the map',
    failed: 'orders the CRM refused',
  },
  workflow: 'orderSyncWorkflow',
});
