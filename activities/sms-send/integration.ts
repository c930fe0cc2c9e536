import { eq } from 'drizzle-orm';
import { integrations } from '../../db/schema';
import { smsSendConfig, type SmsSendConfig } from '../../kinds/sms-send/config';
import { parseSheetRange, type SheetRange } from '../../kinds/sms-send/sheet-range';
import { openAccount } from '../../connectors/accounts/open-account';
import { sms8x8Credentials, type Sms8x8Credentials } from '../../connectors/8x8/auth';
import { googleSheetsCredentials, type GoogleSheetsCredentials } from '../../connectors/google-sheets/auth';
import type { AnyConnector, ConnectorContext } from '../../connectors/kit/types';
import type { ActivityDeps } from '../deps';
import { integrationGone } from '../failures';

export interface SmsSendRuntime {
  integrationId: string;
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
  const [row] = await deps.database.db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row) throw integrationGone(`integration ${integrationId} no longer exists`);
  const source = await openAccount(deps, row.sourceAccountId, heartbeat);
  const target = await openAccount(deps, row.targetAccountId, heartbeat);
  const config = smsSendConfig.parse(row.config);
  return {
    integrationId,
    config,
    range: parseSheetRange(config.range),
    createdAt: row.createdAt,
    sheets: { ...source.ctx, credentials: googleSheetsCredentials.parse(source.ctx.credentials) },
    sms: { ...target.ctx, credentials: sms8x8Credentials.parse(target.ctx.credentials) },
    connectors: { sheets: source.connector, sms: target.connector },
    accountIds: { sheets: source.row.id, sms: target.row.id },
  };
}
