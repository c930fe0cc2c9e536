import { inArray } from 'drizzle-orm';
import type { Functionality } from '../connectors/kit/types';
import { accounts, type AccountRow, type IntegrationRow } from '../db/schema';
import { describeSwitchedOff, FUNCTIONALITY_LABELS, isSwitchedOn, switchedOffFor } from '../kinds/functionalities';
import type { ApiDeps } from './deps';
import { HttpProblem } from './problem';

/**
 * A hub switch that is off stops everything an integration does through that account, and so the
 * things done by hand outside its runs too (a test SMS, a preview, suggestions): a 409 naming the
 * switch and the account, with `switchedOff` listing them. `through` names the accounts the request
 * uses; a switch of the integration's other account does not matter to it.
 */
export async function refuseIfSwitchedOff(deps: Pick<ApiDeps, 'database'>, row: IntegrationRow, through: readonly string[], what: string): Promise<void> {
  const linked = await deps.database.db.select().from(accounts).where(inArray(accounts.id, [row.sourceAccountId, row.targetAccountId]));
  const off = switchedOffFor(row, linked).filter((o) => through.includes(o.accountId));
  if (off.length === 0) return;
  throw new HttpProblem(409, 'Conflict', `${what} is refused: ${describeSwitchedOff(off)}; switch it on first (PATCH /accounts/{id}/functionalities/{name})`, [], {
    switchedOff: off.map((o) => ({ accountId: o.accountId, accountName: o.accountName, functionality: o.functionality, label: FUNCTIONALITY_LABELS[o.functionality] })),
  });
}

/** The same for a request made before any integration exists (a draft's preview): the account's own switch. */
export function refuseIfAccountSwitchedOff(account: AccountRow, functionality: Functionality, what: string): void {
  if (isSwitchedOn(account, functionality)) return;
  const off = [{ accountId: account.id, accountName: account.name, functionality }];
  throw new HttpProblem(409, 'Conflict', `${what} is refused: ${describeSwitchedOff(off)}; switch it on first (PATCH /accounts/{id}/functionalities/{name})`, [], {
    switchedOff: off.map((o) => ({ ...o, label: FUNCTIONALITY_LABELS[o.functionality] })),
  });
}
