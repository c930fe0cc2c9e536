import { SYSTEM_IDS, type AnyConnector, type SystemId } from './kit/types';
import { minicrm } from './minicrm';
import { unas } from './unas';

/** Every connector, by its stable system id. */
export const connectors: Partial<Record<SystemId, AnyConnector>> = {
  unas: unas,
  minicrm: minicrm,
};

export function getConnector(system: string): AnyConnector | undefined {
  const id = SYSTEM_IDS.find((s) => s === system);
  return id && connectors[id];
}
