import type { Router } from 'express';
import type { Kind } from '../kinds';
import type { ApiDeps } from './deps';
import { automationsRouter } from './routes/automations';
import { deliveriesRouter } from './routes/deliveries';
import { smsSendRouter } from './routes/sms-send';

/**
 * The routes under /integrations/:id that only one kind has. Total over the kinds: a new kind
 * does not compile until it says here whether it has any.
 */
export const kindRoutes: Record<Kind, ((deps: ApiDeps) => Router) | null> = {
  'order-sync': null,
  'crm-automation': automationsRouter,
  'sms-send': smsSendRouter,
  scenario: deliveriesRouter,
};
