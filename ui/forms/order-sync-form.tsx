import { useEffect, useState } from 'preact/hooks';
import type { Integration, LookupItem } from '../api-types';
import { AccountPicker } from '../components/account-picker';
import { ErrorMessage } from '../components/error-message';
import { labelFor, LookupSelect, useLookup } from '../components/lookup-select';
import { durationInWords, PollIntervalInput } from '../components/poll-interval-input';
import { StatusMapEditor } from '../components/status-map-editor';
import { TextField } from '../components/text-field';
import { describe, numberSetting, record, text, today } from './config-values';
import type { KindFormProps } from './kind-form-props';
import { useSave } from './use-save';

/**
 * The names the server looks the MiniCRM modules up by when the config gives no id (kept in step
 * with kinds/order-sync/checks.ts), so the form reads statuses and fields from the module the sync
 * will write to.
 */
const ORDERS_MODULE_NAMES = ['Order', 'Orders', 'Megrendelés', 'Rendelés'];
const WEBSHOP_MODULE_NAMES = ['Webshop', 'Webshops', 'Webáruház'];
const singular = (name: string) => name.trim().toLowerCase().replace(/s$/, '');
function moduleByName(items: LookupItem[] | null, names: string[]): string {
  const wanted = new Set(names.map(singular));
  return items?.find((m) => wanted.has(singular(m.label)))?.value ?? '';
}

const SHOWN = new Set(['name', 'source.accountId', 'target.accountId', 'config.ordersCategoryId', 'config.webshopCategoryId', 'config.owner', 'config.linkField', 'config.statusField', 'config.statusMap', 'config.syncFrom', 'config.pollIntervalSeconds']);
const shown = (field: string) => SHOWN.has(field) || field.startsWith('config.statusMap.');

/** UNAS → MiniCRM: accounts, owner, card fields and the status map, each picked from what the accounts have. */
export function OrderSyncForm({ api, kind, existing, onSaved }: KindFormProps) {
  const saved = existing?.config ?? {};
  const poll = numberSetting(kind.config, 'pollIntervalSeconds', { min: 10, max: 86_400, default: 300 });
  const fixed = (key: string) => !!existing && kind.immutable.includes(key);

  const [name, setName] = useState(existing?.name ?? '');
  const [sourceId, setSourceId] = useState(existing?.source.accountId ?? '');
  const [targetId, setTargetId] = useState(existing?.target.accountId ?? '');
  const [ordersModule, setOrdersModule] = useState(text(saved.ordersCategoryId));
  const [webshopModule, setWebshopModule] = useState(text(saved.webshopCategoryId));
  const [owner, setOwner] = useState(text(saved.owner));
  const [linkField, setLinkField] = useState(text(saved.linkField));
  const [statusField, setStatusField] = useState(text(saved.statusField));
  const [statusMap, setStatusMap] = useState(record(saved.statusMap));
  const [syncFrom, setSyncFrom] = useState(text(saved.syncFrom) || today());
  const [pollSeconds, setPollSeconds] = useState<number | null>(typeof saved.pollIntervalSeconds === 'number' ? saved.pollIntervalSeconds : poll.default);
  const { form, saving, errors, save, refuse, unshown } = useSave(onSaved);
  const err = (field: string) => errors.byField[field] ?? null;

  const crm = targetId || null;
  const modules = useLookup(api, crm, 'modules');
  const inOrders = ordersModule ? { categoryId: ordersModule } : null;
  const users = useLookup(api, crm, 'users', inOrders);
  const crmStatuses = useLookup(api, crm, 'statuses', inOrders);
  const fields = useLookup(api, crm, 'fields', inOrders);
  const unasStatuses = useLookup(api, sourceId || null, 'order-statuses');

  // The modules the server would find by name, until the user picks others.
  const ordersByName = moduleByName(modules.items, ORDERS_MODULE_NAMES);
  const webshopByName = moduleByName(modules.items, WEBSHOP_MODULE_NAMES);
  useEffect(() => {
    if (!ordersModule && ordersByName) setOrdersModule(ordersByName);
    if (!webshopModule && webshopByName) setWebshopModule(webshopByName);
  }, [ordersByName, webshopByName]);

  const pickTarget = (id: string) => {
    setTargetId(id);
    setOrdersModule(text(saved.ordersCategoryId));
    setWebshopModule(text(saved.webshopCategoryId));
  };

  /** What the form can tell without the server: nothing picked where something must be. */
  const missing = (): Record<string, string> => {
    const m: Record<string, string> = {};
    if (!name.trim()) m.name = 'Give the integration a name.';
    if (!sourceId) m['source.accountId'] = 'Choose the UNAS account orders are read from.';
    if (!targetId) m['target.accountId'] = 'Choose the MiniCRM account cards are written to.';
    if (!owner) m['config.owner'] = 'Choose the MiniCRM user who owns the cards.';
    if (!linkField) m['config.linkField'] = 'Choose the card field that gets the invoice link.';
    if (Object.keys(statusMap).length === 0) m['config.statusMap'] = 'Map at least one UNAS status to a MiniCRM status.';
    if (!fixed('syncFrom') && !syncFrom) m['config.syncFrom'] = 'Give the date orders are synced from.';
    if (pollSeconds === null) m['config.pollIntervalSeconds'] = `A whole number from ${durationInWords(poll.min)} to ${durationInWords(poll.max)}.`;
    return m;
  };

  const configToSave = (): Record<string, unknown> => {
    // A module id goes into the config only when it is not the one the server finds by name (or was saved before).
    const moduleId = (picked: string, byName: string, key: string) => (picked && (picked !== byName || saved[key] !== undefined) ? { [key]: Number(picked) } : {});
    const config: Record<string, unknown> = {
      owner,
      linkField,
      // null takes a saved status field out of the config (PATCH keeps what it is not sent).
      ...(statusField ? { statusField } : existing && saved.statusField !== undefined ? { statusField: null } : {}),
      statusMap,
      syncFrom,
      pollIntervalSeconds: pollSeconds,
      ...moduleId(ordersModule, ordersByName, 'ordersCategoryId'),
      ...moduleId(webshopModule, webshopByName, 'webshopCategoryId'),
    };
    for (const key of existing ? kind.immutable : []) delete config[key];
    return config;
  };

  const submit = (e: Event) => {
    e.preventDefault();
    const problems = missing();
    if (Object.keys(problems).length) return refuse(problems);
    void save(() =>
      existing
        ? api<Integration>('PATCH', `/integrations/${encodeURIComponent(existing.id)}`, { name: name.trim(), config: configToSave() })
        : api<Integration>('POST', '/integrations', { kind: kind.kind, name: name.trim(), source: { accountId: sourceId }, target: { accountId: targetId }, config: configToSave() }),
    );
  };

  const rest = [errors.general, ...unshown(shown)].filter(Boolean).join('; ');
  return (
    <form ref={form} class="form kind-form" onSubmit={submit} aria-label={existing ? `Edit ${existing.name}` : 'New order sync'} noValidate>
      <ErrorMessage message={rest} />
      <TextField id="os-name" label="Name" required value={name} onChange={setName} maxLength={200} placeholder="UNAS → MiniCRM" hint="How the integration is called in the console and the API" error={err('name')} />

      <h2>Accounts</h2>
      <AccountPicker api={api} id="os-source" label="UNAS shop (orders are read here)" systems={kind.source} value={sourceId} onChange={setSourceId} disabled={!!existing} error={err('source.accountId')} />
      <AccountPicker api={api} id="os-target" label="MiniCRM account (cards are written here)" systems={kind.target} value={targetId} onChange={pickTarget} disabled={!!existing} error={err('target.accountId')} />
      {existing && <p class="hint">The accounts of an integration cannot change: create a new one for other accounts.</p>}

      <h2>MiniCRM cards</h2>
      <LookupSelect id="os-orders-module" label="Orders module" lookup={modules} value={ordersModule} onChange={setOrdersModule} hint="The module that gets one card per order; its statuses and fields are offered below" error={err('config.ordersCategoryId')} />
      <LookupSelect id="os-webshop-module" label="Webshop module" lookup={modules} value={webshopModule} onChange={setWebshopModule} hint="The module that gets one card per buyer" error={err('config.webshopCategoryId')} />
      <LookupSelect id="os-owner" label="Owner" lookup={users} byLabel value={labelFor(users.items, owner)} onChange={setOwner} placeholder={ordersModule ? 'Choose a user…' : 'Choose the MiniCRM account first'} hint={describe(kind.config, 'owner')} error={err('config.owner')} />
      <LookupSelect id="os-link-field" label="Invoice link field" lookup={fields} byLabel value={linkField} onChange={setLinkField} hint={describe(kind.config, 'linkField')} error={err('config.linkField')} />
      <LookupSelect id="os-status-field" label="UNAS status field" lookup={fields} byLabel optional value={statusField} onChange={setStatusField} placeholder="(none: the UNAS status is not written)" hint={describe(kind.config, 'statusField')} error={err('config.statusField')} />

      <h2>Statuses</h2>
      <StatusMapEditor id="os-status-map" unasStatuses={unasStatuses} crmStatuses={crmStatuses} value={statusMap} onChange={setStatusMap} errors={errors.byField} error={err('config.statusMap')} />

      <h2>Schedule</h2>
      <TextField
        id="os-sync-from"
        label="Sync orders placed from"
        type="date"
        required={!fixed('syncFrom')}
        value={syncFrom}
        onChange={setSyncFrom}
        disabled={fixed('syncFrom')}
        hint={fixed('syncFrom') ? 'Fixed when the integration was created: orders placed before it are never synced.' : 'Orders placed before this date are never synced. It cannot change once saved.'}
        error={err('config.syncFrom')}
      />
      <PollIntervalInput id="os-poll" label="Check UNAS for changed orders" seconds={pollSeconds} onChange={setPollSeconds} min={poll.min} max={poll.max} hint={`Default: every ${durationInWords(poll.default)}.`} error={err('config.pollIntervalSeconds')} />

      <div class="actions">
        <button type="submit" class="primary" disabled={saving}>
          {saving ? (existing ? 'Saving…' : 'Creating…') : existing ? 'Save changes' : 'Create order sync'}
        </button>
      </div>
    </form>
  );
}
