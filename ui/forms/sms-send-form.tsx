import { useState } from 'preact/hooks';
import type { Integration } from '../api-types';
import { AccountPicker } from '../components/account-picker';
import { ErrorMessage } from '../components/error-message';
import { LookupSelect, useLookup } from '../components/lookup-select';
import { browserTimeZone, ScheduleEditor } from '../components/schedule-editor';
import { TemplateEditor } from '../components/template-editor';
import { TestSend } from '../components/test-send';
import { TextField } from '../components/text-field';
import { fieldErrorsOf } from '../field-errors';
import { useLatestAnswer } from '../latest-answer';
import { rangeOf, splitRange, spreadsheetIdOf } from '../sheet-address';
import type { SmsPreview, SmsSendConfig } from '../sms-send-types';
import type { KindFormProps } from './kind-form-props';

/** How many rows already in the sheet the template is shown on. */
const PREVIEW_ROWS = 3;

/** The config as saved, or the defaults of a new one (kinds/sms-send/config.ts). */
function initialConfig(existing: Integration | null): SmsSendConfig {
  const c = (existing?.config ?? {}) as Partial<SmsSendConfig>;
  return {
    spreadsheetId: c.spreadsheetId ?? '',
    range: c.range ?? '',
    phoneColumn: c.phoneColumn ?? '',
    sender: c.sender ?? '',
    template: c.template ?? '',
    timeZone: c.timeZone ?? browserTimeZone(),
    autoUpdate: c.autoUpdate ?? true,
    schedule: c.schedule ?? { every: 60 },
    backfill: c.backfill ?? false,
  };
}

/**
 * sms-send: a Google Sheet's rows to SMS through 8x8. The sheet and its columns are picked from
 * what the account reads; the message text is shown on rows already in the sheet as it is typed;
 * the schedule shows its next runs; an edited integration can send a test SMS before saving.
 */
export function SmsSendForm({ api, kind, existing, onSaved }: KindFormProps) {
  const editing = existing !== null;
  const immutable = new Set(editing ? kind.immutable : []);
  const [name, setName] = useState(existing?.name ?? '');
  const [sourceId, setSourceId] = useState(existing?.source.accountId ?? '');
  const [targetId, setTargetId] = useState(existing?.target.accountId ?? '');
  const [config, setConfig] = useState<SmsSendConfig>(() => initialConfig(existing));
  const [sheetText, setSheetText] = useState(config.spreadsheetId);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ byField: Record<string, string>; general: string | null }>({ byField: {}, general: null });
  const set = <K extends keyof SmsSendConfig>(key: K, value: SmsSendConfig[K]) => setConfig((c) => ({ ...c, [key]: value }));

  const range = splitRange(config.range);
  const sheets = useLookup(api, sourceId || null, 'sheets', config.spreadsheetId ? { spreadsheetId: config.spreadsheetId } : null);
  const columns = useLookup(api, sourceId || null, 'columns', config.spreadsheetId && range.sheet ? { spreadsheetId: config.spreadsheetId, sheet: range.sheet, headerRow: String(range.headerRow) } : null);
  const columnNames = columns.items?.map((i) => i.label) ?? null;

  const sheetDraft = { spreadsheetId: config.spreadsheetId, range: config.range, phoneColumn: config.phoneColumn, template: config.template, timeZone: config.timeZone };
  const waitingFor = !sourceId
    ? 'Choose the Google Sheets account to see the text on its rows.'
    : !config.spreadsheetId || !range.sheet
      ? 'Choose the spreadsheet and its sheet to see the text on its rows.'
      : !config.phoneColumn
        ? 'Choose the phone column to see the text on its rows.'
        : !config.template.trim()
          ? 'Type the message to see it on the rows.'
          : null;
  const preview = useLatestAnswer<SmsPreview>(
    JSON.stringify([sourceId, sheetDraft]),
    waitingFor
      ? null
      : editing
        ? () => api<SmsPreview>('POST', `/integrations/${encodeURIComponent(existing.id)}/preview?rows=existing&limit=${PREVIEW_ROWS}`, sheetDraft)
        : () => api<SmsPreview>('POST', '/sms-send/preview', { accountId: sourceId, ...sheetDraft, limit: PREVIEW_ROWS }),
  );

  const fieldError = (field: string) => errors.byField[field] ?? null;
  const shown = ['name', 'source.accountId', 'target.accountId', 'config.spreadsheetId', 'config.range', 'config.phoneColumn', 'config.sender', 'config.template', 'config.timeZone'];
  const isShown = (field: string) => shown.includes(field) || field.startsWith('config.schedule');
  // A reason the API gave for a field this form has no input for still shows, at the top.
  const unplaced = Object.entries(errors.byField)
    .filter(([field]) => !isShown(field))
    .map(([field, message]) => `${field}: ${message}`);
  const scheduleError = Object.entries(errors.byField).find(([f]) => f.startsWith('config.schedule'))?.[1] ?? null;

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({ byField: {}, general: null });
    const { backfill, ...rest } = config;
    const body = { ...rest, ...(!editing && { backfill }) };
    try {
      const saved = editing
        ? await api<Integration>('PATCH', `/integrations/${encodeURIComponent(existing.id)}`, { name: name.trim(), config: body })
        : await api<Integration>('POST', '/integrations', { kind: kind.kind, name: name.trim(), source: { accountId: sourceId }, target: { accountId: targetId }, config: body });
      onSaved(saved.id);
    } catch (err) {
      setErrors(fieldErrorsOf(err));
    } finally {
      setBusy(false);
    }
  };

  const general = [errors.general, ...unplaced].filter(Boolean).join('; ') || null;
  return (
    <form class="form sms-send-form" onSubmit={(e) => void save(e)} noValidate>
      <ErrorMessage message={general ?? (Object.keys(errors.byField).length ? 'Some fields need a change: see the reasons beside them.' : null)} />
      <TextField id="sms-name" label="Name" value={name} onChange={setName} error={fieldError('name')} />
      <AccountPicker api={api} id="sms-source" label="Google Sheets account" systems={kind.source} value={sourceId} onChange={setSourceId} disabled={editing} error={fieldError('source.accountId')} />
      <AccountPicker api={api} id="sms-target" label="8x8 account" systems={kind.target} value={targetId} onChange={setTargetId} disabled={editing} error={fieldError('target.accountId')} />

      <TextField
        id="sms-spreadsheet"
        label="Spreadsheet"
        value={sheetText}
        disabled={immutable.has('spreadsheetId')}
        hint={`Paste the sheet's address from the browser (docs.google.com/spreadsheets/d/…/edit) or just its id: the id is taken from the address.${config.spreadsheetId && config.spreadsheetId !== sheetText.trim() ? ` Id: ${config.spreadsheetId}` : ''}`}
        onChange={(text) => {
          setSheetText(text);
          set('spreadsheetId', spreadsheetIdOf(text));
        }}
        error={fieldError('config.spreadsheetId')}
      />
      <LookupSelect
        id="sms-sheet"
        label="Sheet"
        lookup={sheets}
        value={range.sheet}
        disabled={immutable.has('range')}
        hint="The tab holding the rows; its first row names the columns."
        placeholder={config.spreadsheetId ? undefined : 'Give the spreadsheet first'}
        onChange={(sheet) => setConfig((c) => ({ ...c, range: rangeOf(sheet, sheet === range.sheet ? range.cells : null) }))}
        error={fieldError('config.range')}
      />
      <LookupSelect
        id="sms-phone"
        label="Phone number column"
        lookup={columns}
        value={config.phoneColumn}
        byLabel
        disabled={immutable.has('phoneColumn')}
        placeholder={range.sheet ? undefined : 'Choose the sheet first'}
        onChange={(v) => set('phoneColumn', v)}
        error={fieldError('config.phoneColumn')}
      />
      <TextField id="sms-sender" label="Sender" value={config.sender} onChange={(v) => set('sender', v)} hint="Shown on the phone: up to 11 letters, digits or spaces, or a phone number." error={fieldError('config.sender')} />

      <TemplateEditor id="sms-template" value={config.template} onChange={(v) => set('template', v)} columns={columnNames} preview={preview} waitingFor={waitingFor} error={fieldError('config.template')} />
      <TestSend api={api} id="sms-test" integrationId={existing?.id ?? null} template={config.template} />

      <ScheduleEditor
        api={api}
        id="sms-schedule"
        value={config.schedule}
        onChange={(s) => set('schedule', s)}
        timeZone={config.timeZone}
        onTimeZone={(z) => set('timeZone', z)}
        backfill={!editing && config.backfill}
        selfId={existing?.id ?? null}
        errors={{ schedule: scheduleError, timeZone: fieldError('config.timeZone') }}
      />
      <p class="field checkbox">
        <label>
          <input type="checkbox" checked={config.autoUpdate} onChange={(e) => set('autoUpdate', e.currentTarget.checked)} /> Run on the schedule
        </label>
        <span class="hint">When off, only "Run now" on the integration's page sends.</span>
      </p>
      {!editing && (
        <p class="field checkbox">
          <label>
            <input type="checkbox" checked={config.backfill} onChange={(e) => set('backfill', e.currentTarget.checked)} /> Also text the rows already in the sheet
          </label>
          <span class="hint">Off: only rows added after saving get an SMS.</span>
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save changes' : 'Create integration'}
        </button>
      </div>
    </form>
  );
}
