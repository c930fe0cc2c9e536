import { sms8x8 } from './8x8';
import { googleSheets } from './google-sheets';
import { SYSTEM_IDS, type AnyConnector, type SystemId } from './kit/types';
import { minicrm } from './minicrm';
import { nethunt } from './nethunt';
import { sare } from './sare';
import { sumit } from './sumit';
import { unas } from './unas';
import { worksection } from './worksection';

/** Every connector, by its stable system id: a new system id fails to compile until it has one. */
export const connectors: Record<SystemId, AnyConnector> = {
  unas,
  minicrm,
  nethunt,
  worksection,
  'google-sheets': googleSheets,
  '8x8': sms8x8,
  sumit,
  sare,
};

export function getConnector(system: string): AnyConnector | undefined {
  const id = SYSTEM_IDS.find((s) => s === system);
  return id && connectors[id];
}
