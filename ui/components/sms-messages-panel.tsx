import { useState } from 'preact/hooks';
import type { Api } from '../api-client';
import { SMS_STATES, type SmsMessage, type SmsState } from '../api-types';
import { when } from '../format';
import { usePoll } from '../poll';
import { ErrorMessage } from './error-message';

const PAGE = 50;
/** The API's most per request. */
const MOST = 1000;

/** A message's state as a user would say it; the states are sms-send's own (kinds/ledger/sms-states.ts). */
export const SMS_STATE_WORDS: Record<SmsState, string> = {
  pending: 'waiting for the next run',
  sending: 'being sent',
  queued: 'accepted by the provider',
  sent: 'sent to the phone network',
  delivered: 'delivered',
  undelivered: 'not delivered',
  rejected: 'rejected by the provider',
  failed: 'failed',
};

/** The messages an sms-send integration keeps, in the sheet's row order, with the provider's reason for the ones that did not go through. */
export function SmsMessagesPanel({ api, integrationId }: { api: Api; integrationId: string }) {
  const [state, setState] = useState<SmsState | ''>('');
  const [limit, setLimit] = useState(PAGE);
  const messages = usePoll(async () => {
    const q = new URLSearchParams({ limit: String(limit) });
    if (state) q.set('state', state);
    return (await api<{ items: SmsMessage[] }>('GET', `/integrations/${encodeURIComponent(integrationId)}/messages?${q}`)).items;
  }, [api, integrationId, state, limit]);
  const items = messages.data;
  return (
    <section class="panel" aria-labelledby="messages-title">
      <h2 id="messages-title">Messages</h2>
      <div class="field inline-field">
        <label for="message-state">Show</label>
        <select
          id="message-state"
          value={state}
          onChange={(e) => {
            setState(e.currentTarget.value as SmsState | '');
            setLimit(PAGE);
          }}
        >
          <option value="">all messages</option>
          {SMS_STATES.map((s) => (
            <option value={s}>{SMS_STATE_WORDS[s]}</option>
          ))}
        </select>
      </div>
      <ErrorMessage message={messages.error} />
      {items && items.length === 0 && <p>{state ? `No message is ${SMS_STATE_WORDS[state]}.` : 'No message yet.'}</p>}
      {items && items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Messages, in the order of the sheet's rows">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Phone</th>
                <th scope="col">State</th>
                <th scope="col">When</th>
                <th scope="col">Provider's reason</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.row}>
                  <td>{m.row}</td>
                  <td>{m.phone}</td>
                  <td>{SMS_STATE_WORDS[m.state]}</td>
                  <td>{when(m.updatedAt)}</td>
                  <td>{m.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {items && items.length === limit && limit < MOST && (
        <div class="actions">
          <button type="button" onClick={() => setLimit(Math.min(limit + PAGE, MOST))}>
            Show more messages
          </button>
        </div>
      )}
    </section>
  );
}
