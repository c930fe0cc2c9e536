import { parseEgressAllow, type EgressAllow } from '../../connectors/kit/egress';

/** Every fake listens on 127.0.0.1: tests allow loopback as EGRESS_ALLOW=127.0.0.1,localhost would. */
export const TEST_EGRESS_ALLOW = '127.0.0.1,localhost';

export function egressAllow(raw: string = TEST_EGRESS_ALLOW): EgressAllow {
  const { allow, errors } = parseEgressAllow(raw);
  if (errors.length > 0) throw new Error(`EGRESS_ALLOW for the test: ${errors.join('; ')}`);
  return allow;
}
