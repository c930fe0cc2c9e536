import { useState } from 'preact/hooks';
import { ApiError, messageOf, type Api } from '../api-client';
import type { SmsTestAnswer } from '../sms-send-types';

/**
 * One real SMS to a number the user gives, built from the template as it stands in the editor
 * (saved or not) and the first row the integration would send (or the first row in the sheet);
 * 8x8's answer is shown as it came.
 */
export function TestSend({ api, id, integrationId, template }: { api: Api; id: string; integrationId: string | null; template: string }) {
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<SmsTestAnswer | null>(null);
  const [error, setError] = useState<{ phone: string | null; general: string | null }>({ phone: null, general: null });

  if (!integrationId) {
    return (
      <section class="test-send" aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`}>Test SMS</h3>
        <p class="muted">A test SMS can be sent once the integration is saved: it is built from a row of the sheet and sent through the 8x8 account.</p>
      </section>
    );
  }

  const send = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setAnswer(null);
    setError({ phone: null, general: null });
    try {
      setAnswer(await api<SmsTestAnswer>('POST', `/integrations/${encodeURIComponent(integrationId)}/test`, { phone, template }));
    } catch (err) {
      const phoneError = err instanceof ApiError ? (err.problem.errors ?? []).find((x) => x.field === 'phone')?.message : undefined;
      setError({ phone: phoneError ?? null, general: phoneError ? null : messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  const provider = answer?.provider;
  return (
    <section class="test-send" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Test SMS</h3>
      <div class="inline-form">
        <p class="field">
          <label for={`${id}-phone`}>Phone number for the test</label>
          <input
            id={`${id}-phone`}
            type="tel"
            autocomplete="tel"
            value={phone}
            placeholder="+36701234567"
            aria-invalid={error.phone ? true : undefined}
            aria-describedby={[`${id}-hint`, error.phone && `${id}-phone-error`].filter(Boolean).join(' ')}
            onInput={(e) => setPhone(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && void send(e)}
          />
          <span id={`${id}-hint`} class="hint">
            One real SMS with the text above, from the first row the integration would send (or the first row in the sheet).
          </span>
          {error.phone && (
            <span id={`${id}-phone-error`} class="field-error">
              {error.phone}
            </span>
          )}
        </p>
        <button type="button" disabled={busy || phone.trim() === ''} onClick={(e) => void send(e)}>
          {busy ? 'Sending…' : 'Send test'}
        </button>
      </div>
      <div aria-live="polite">
        {error.general && <p class="error">{error.general}</p>}
        {answer && provider && (
          <div class={provider.accepted === false ? 'error' : 'notice'}>
            <p>
              8x8 answered {provider.status?.code ?? '(no status)'}
              {provider.status?.description ? `: ${provider.status.description}` : ''}
              {provider.umid ? ` (message id ${provider.umid})` : ''}.
            </p>
            <p>
              Sent to {provider.destination ?? phone}, from row {answer.row}: <q class="sms-text">{answer.text}</q>
            </p>
          </div>
        )}
      </div>
    </section>
  );
}
