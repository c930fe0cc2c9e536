import { clientMessageIdFor } from '../../connectors/8x8/client-message-id';
import type { SheetRow } from '../../connectors/google-sheets/rows';
import type { PolledRecord } from '../../connectors/kit/types';
import type { SmsSendConfig } from './config';
import { renderTemplate, variableKey } from './template';
import type { SmsState } from '../../db/schema';

export interface RenderedMessage {
  rowKey: string;
  clientMessageId: string;
  phone: string;
  text: string;
  /** pending, or rejected/failed before 8x8 is ever asked (no number, a column gone). */
  state: Extract<SmsState, 'pending' | 'rejected' | 'failed'>;
  reason: string | null;
}

/** Spreadsheets hold numbers as people type them: "+36 (70) 123-4567" is +36701234567 to 8x8. */
export function normalizePhone(raw: string): string {
  return raw.trim().replace(/[\s().-]/g, '');
}

/** The same id for the same integration and row every time: receipts are matched back by it. */
export const clientMessageIdOf = (integrationId: string, rowKey: string) => clientMessageIdFor(`${integrationId}:${rowKey}`);

/**
 * One message per row, rendered once: the text is stored, so a resend after a crash sends the
 * very same words (the {{time}} of the first attempt), and a later edit of the row changes nothing.
 */
export function renderRows(integrationId: string, config: Pick<SmsSendConfig, 'phoneColumn' | 'template' | 'timeZone'>, records: PolledRecord<SheetRow>[], sendAt: Date): RenderedMessage[] {
  const phoneKey = variableKey(config.phoneColumn);
  return records.map((r) => {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.data.values)) values[k] = String(v);
    const phoneCell = Object.entries(values).find(([k]) => variableKey(k) === phoneKey)?.[1] ?? '';
    const phone = normalizePhone(phoneCell);
    const base = { rowKey: r.id, clientMessageId: clientMessageIdOf(integrationId, r.id), phone };
    let text: string;
    try {
      text = renderTemplate(config.template, values, sendAt, config.timeZone);
    } catch (e) {
      return { ...base, text: '', state: 'failed' as const, reason: e instanceof Error ? e.message : String(e) };
    }
    // 8x8 refuses a whole batch for a destination outside 3–20 characters: settle those here.
    if (phone.length < 3 || phone.length > 20) return { ...base, text, state: 'rejected' as const, reason: phone ? `not a phone number: "${phone}"` : `no phone number in column "${config.phoneColumn}"` };
    if (text.trim() === '') return { ...base, text, state: 'rejected' as const, reason: 'the message text is empty for this row' };
    return { ...base, text, state: 'pending' as const, reason: null };
  });
}
