import { defineKind } from '../define-kind';
import { smsSendBoundary } from './boundary';
import { checkSmsSend } from './checks';
import { smsSendConfig } from './config';

export const smsSend = defineKind({
  kind: 'sms-send',
  description: 'Spreadsheet rows to SMS, on an interval, at fixed times or after another integration (Google Sheets → 8x8)',
  source: ['google-sheets'],
  target: ['8x8'],
  config: smsSendConfig,
  immutable: [],
  check: checkSmsSend,
  boundary: smsSendBoundary,
  runsAfter: (config) => {
    const { schedule } = smsSendConfig.parse(config);
    return 'after' in schedule ? schedule.after : null;
  },
  uses: () => ({ source: ['spreadsheet'], target: ['sms'] }),
  counts: {
    fetched: 'rows read',
    created: 'SMS taken by 8x8',
    updated: 'not used',
    unchanged: 'not used',
    held: 'SMS rejected by 8x8',
    failed: 'rows that could not become an SMS',
  },
  callbacks: "8x8's delivery receipts could not arrive, so every message left in doubt would be resent after SMS_DOUBT_WAIT_SECONDS (a double text)",
  workflow: 'smsSendWorkflow',
});
