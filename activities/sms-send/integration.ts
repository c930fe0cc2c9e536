import { smsSendConfig, type SmsSendConfig } from '../../kinds/sms-send/config';
import { parseSheetRange, type SheetRange } from '../../kinds/sms-send/sheet-range';
import { sms8x8Credentials, type Sms8x8Credentials } from '../../connectors/8x8/auth';
import { googleSheetsCredentials, type GoogleSheetsCredentials } from '../../connectors/google-sheets/auth';
import type { AnyConnector, ConnectorContext } from '../../connectors/kit/types';
import type { ActivityDeps } from '../deps';
import { loadIntegration, type LoadedIntegration } from '../load-integration';

export interface SmsSendRuntime {
  integrationId: string;
  integration: LoadedIntegration;
  config: SmsSendConfig;
  range: SheetRange;
  createdAt: Date;
  sheets: ConnectorContext<GoogleSheetsCredentials>;
  sms: ConnectorContext<Sms8x8Credentials>;
  connectors: { sheets: AnyConnector; sms: AnyConnector };
  accountIds: { sheets: string; sms: string };
}

/** Loads the integration and opens both accounts inside the activity: the workflow only passes the id. */
export async function loadSmsSend(deps: ActivityDeps, integrationId: string, heartbeat?: (d?: unknown) => void): Promise<SmsSendRuntime> {
  const integration = await loadIntegration(deps, integrationId, heartbeat);
  const { row, source, target } = integration;
  const config = smsSendConfig.parse(row.config);
  return {
    integrationId,
    integration,
    config,
    range: parseSheetRange(config.range),
    createdAt: row.createdAt,
    sheets: { ...source.ctx, credentials: googleSheetsCredentials.parse(source.ctx.credentials) },
    sms: { ...target.ctx, credentials: sms8x8Credentials.parse(target.ctx.credentials) },
    connectors: { sheets: source.connector, sms: target.connector },
    accountIds: { sheets: source.row.id, sms: target.row.id },
  };
}
