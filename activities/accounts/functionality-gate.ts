import { ApplicationFailure } from '@temporalio/common';
import { describeSwitchedOff, switchedOffFor, SWITCHED_OFF } from '../../kinds/functionalities';
import type { LoadedIntegration } from '../load-integration';

/**
 * Called first by every activity that talks to an integration's accounts: while a functionality the
 * integration uses (its kind's `uses`) is switched off on one of them, nothing is called. The
 * failure is non-retryable, so no retries burn; switching the functionality on signals the
 * workflow to run again.
 */
export function ensureFunctionalitiesOn(integration: LoadedIntegration): void {
  const off = switchedOffFor(integration.row, [integration.source.row, integration.target.row]);
  if (off.length === 0) return;
  throw ApplicationFailure.create({ message: describeSwitchedOff(off), type: SWITCHED_OFF, nonRetryable: true, details: off });
}
