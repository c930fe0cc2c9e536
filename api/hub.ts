import { z } from 'zod';
import { connectors } from '../connectors/registry';
import { FUNCTIONALITIES } from '../connectors/kit/types';
import type { AccountRow } from '../db/schema';
import { FUNCTIONALITY_LABELS, isSwitchedOn } from '../kinds/functionalities';

export const hubQuery = z.object({ functionality: z.enum(FUNCTIONALITIES).optional() }).strict();

export const hubView = z.object({
  items: z.array(
    z.object({
      functionality: z.enum(FUNCTIONALITIES),
      label: z.string(),
      systems: z.array(z.object({ id: z.string(), name: z.string(), authType: z.string(), oauth: z.boolean().describe('Connects by OAuth besides authType') })),
      accounts: z.array(
        z.object({
          id: z.uuid(),
          name: z.string(),
          system: z.string(),
          status: z.enum(['unchecked', 'active', 'inactive']),
          enabled: z.boolean().describe('This functionality switched on for this account'),
        }),
      ),
    }),
  ),
});

/** The catalogue by functionality, in FUNCTIONALITIES order, with the accounts of the systems that offer each. */
export function buildHub(accounts: AccountRow[], only?: (typeof FUNCTIONALITIES)[number]): z.infer<typeof hubView> {
  const items = FUNCTIONALITIES.filter((f) => !only || f === only).map((functionality) => {
    const systems = Object.values(connectors).filter((c) => c.functionalities.includes(functionality));
    const ids = new Set<string>(systems.map((s) => s.id));
    return {
      functionality,
      label: FUNCTIONALITY_LABELS[functionality],
      systems: systems.map((s) => ({ id: s.id, name: s.name, authType: s.auth.type, oauth: s.oauth !== undefined })),
      accounts: accounts
        .filter((a) => ids.has(a.system))
        .map((a) => ({ id: a.id, name: a.name, system: a.system, status: a.status, enabled: isSwitchedOn(a, functionality) })),
    };
  });
  return { items };
}
