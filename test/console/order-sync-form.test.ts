import type { Locator } from 'playwright-core';
import type { IntegrationStatus } from '../../workflows/control';
import type { MiniCrmFake } from '../fakes/minicrm-fake';
import type { UnasFake } from '../fakes/unas-fake';
import { describeInBrowser, openBrowser, screenshots, seriousViolations, signIn, type BrowserSession } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { cardsByOrder, createAccounts, ORDERS_CATEGORY, startFakes, waitFor } from '../support/order-sync-scenario';

type View = { name: string; config: Record<string, unknown>; status: IntegrationStatus };

/** The fake's Orders module statuses, held here so a test can take one away and give it back. */
const CRM_STATUSES = {
  '1': { '2501': 'Érdeklődő', '2502': 'Sikeres', '2503': 'Sikertelen' },
  '17': { '3001': 'Új rendelés', '3002': 'Feldolgozás', '3003': 'Teljesítve', '3004': 'Sztornó' } as Record<string, string>,
  '18': { '3101': 'Aktív vásárló' },
};

const optionsOf = (select: Locator) => select.locator('option').allTextContents();
/** Waits until a select offers every one of `names` (its lookup has answered). */
const offers = (select: Locator, names: string[]) => waitFor(`${names.join(', ')} among the options`, () => optionsOf(select), (o) => names.every((n) => o.includes(n)), 60_000);

/**
 * An order sync created and edited in the console: owner, card fields and every status picked from
 * the accounts' own lists; it runs and the orders land in MiniCRM once each with the mapped status;
 * the server's refusal of a status MiniCRM no longer has shows beside that status.
 */
describeInBrowser('console: the order-sync form', __filename, () => {
  let h: Harness;
  let b: BrowserSession;
  let unas: UnasFake;
  let crm: MiniCrmFake;
  let integrationId: string;
  const view = async () => (await h.request<View>('GET', `/integrations/${integrationId}`)).body;
  const keysOf = (status: string) => unas.orders.filter((o) => o.status === status).map((o) => `unas-order-${o.key}`);
  const card = (key: string) => crm.projectByExternalId(ORDERS_CATEGORY, key);

  beforeAll(async () => {
    h = await startHarness();
    ({ unas, crm } = await startFakes({ orderQueriesPerHour: 1000 }, { statuses: CRM_STATUSES }));
    await createAccounts(h, unas, crm, { unas: { orderQueriesPerHour: 1000 } });
    // Changed a minute ago: UNAS dates have whole seconds, so orders changed in the very second of the
    // first run would wait for the next one, an hour later with the interval picked below.
    const modifiedAt = Date.now() - 60_000;
    unas.addOrders(6, { status: 'Beérkezett', modifiedAt });
    unas.addOrders(3, { status: 'Teljesítve', modifiedAt });
    unas.addOrders(2, { status: 'Törölve', modifiedAt });
    b = await openBrowser();
    await signIn(b.page, h.api.url, h.apiToken);
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
    await Promise.all([unas?.close(), crm?.close()]);
  });
  afterEach(() => {
    expect(b.pageErrors.splice(0)).toEqual([]);
  });

  it('creates an order sync by picking accounts, owner, fields and statuses from lists, and it runs', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/integrations`);
    await page.getByRole('link', { name: 'New integration' }).click();
    await page.getByRole('heading', { name: 'New integration', level: 1 }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'integration-new-kinds');
    await page.getByRole('link', { name: 'order-sync' }).click();
    await page.getByRole('heading', { name: 'New order-sync integration', level: 1 }).waitFor();

    await page.getByLabel('Name').fill('Webshop orders');
    // One account of each system is connected: each picker has chosen it.
    const source = page.getByLabel('UNAS shop (orders are read here)');
    const target = page.getByLabel('MiniCRM account (cards are written here)');
    await offers(source, ['Webshop (unas)']);
    await offers(target, ['CRM (minicrm)']);
    await waitFor('both accounts chosen', async () => [await source.inputValue(), await target.inputValue()], (v) => v.every(Boolean));
    // The Orders module is the one the server finds by name.
    const ordersModule = page.getByLabel('Orders module');
    await waitFor('the Orders module chosen', () => ordersModule.inputValue(), (v) => v === String(ORDERS_CATEGORY));

    const owner = page.getByLabel('Owner');
    await offers(owner, ['Kovács Anna', 'Nagy Péter']);
    await owner.selectOption({ label: 'Nagy Péter' });
    const linkField = page.getByLabel('Invoice link field');
    await offers(linkField, ['UnasLink', 'UnasStatus', 'OrderTotal']);
    await linkField.selectOption('UnasLink');
    await page.getByLabel('UNAS status field').selectOption('UnasStatus');

    // One row per UNAS status the shop's orders carry, each with the Orders module's statuses to pick from.
    const map = page.getByRole('group', { name: 'Status map' });
    for (const s of ['Beérkezett', 'Teljesítve', 'Törölve']) await map.getByRole('rowheader', { name: s }).waitFor();
    await offers(page.getByLabel('MiniCRM status for Beérkezett'), ['Új rendelés', 'Feldolgozás', 'Teljesítve', 'Sztornó']);
    await page.getByLabel('MiniCRM status for Beérkezett').selectOption('Új rendelés');
    await page.getByLabel('MiniCRM status for Teljesítve').selectOption('Teljesítve');
    // Törölve stays unmapped: its orders are held, as the form says.
    expect(await page.getByLabel('MiniCRM status for Törölve').inputValue()).toBe('');
    await map.getByText('is held, not synced').waitFor();

    await page.getByLabel('Sync orders placed from').fill('2020-01-01');
    await page.getByLabel('Every').fill('1');
    await page.getByLabel('Unit').selectOption({ label: 'hours' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'order-sync-form-new');

    // The save asks MiniCRM about every name first: while it does, the button says so and is disabled.
    crm.answerSlowly(1500, (r) => r.path === '/Api/R3/Category');
    await page.getByRole('button', { name: 'Create order sync' }).click();
    const busy = page.getByRole('button', { name: 'Creating…' });
    await busy.waitFor();
    expect(await busy.isDisabled()).toBe(true);

    await page.getByRole('heading', { name: 'Webshop orders', exact: true, level: 1 }).waitFor({ timeout: 60_000 });
    integrationId = /#\/integrations\/([^/]+)$/.exec(page.url())![1]!;
    const saved = await view();
    expect(saved.config).toMatchObject({
      owner: 'Nagy Péter',
      linkField: 'UnasLink',
      statusField: 'UnasStatus',
      statusMap: { Beérkezett: 'Új rendelés', Teljesítve: 'Teljesítve' },
      syncFrom: '2020-01-01',
      pollIntervalSeconds: 3600,
    });
    // The module was found by name: no id pinned in the config.
    expect(saved.config.ordersCategoryId).toBeUndefined();

    const synced = [...keysOf('Beérkezett'), ...keysOf('Teljesítve')];
    await waitFor('the mapped orders in MiniCRM', () => cardsByOrder(crm), (c) => synced.every((k) => c.has(k)));
    await waitFor('the first run to end', view, (v) => v.status.runs >= 1 && v.status.state === 'idle');
    const counts = cardsByOrder(crm);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(synced.length);
    for (const k of keysOf('Beérkezett')) expect(card(k)).toMatchObject({ StatusId: 3001, UserId: 102 });
    for (const k of keysOf('Teljesítve')) expect(card(k)).toMatchObject({ StatusId: 3003, UserId: 102 });
    for (const k of keysOf('Törölve')) expect(card(k)).toBeUndefined();
    expect((await view()).status.heldByStatus).toEqual({ Törölve: 2 });
  });

  it('edits it: the saved values show, syncFrom is fixed, a status MiniCRM lost is refused beside its row, then the held orders follow the new map', async () => {
    const page = b.page;
    await page.goto(`${h.api.url}/ui/#/integrations/${integrationId}`);
    await page.getByRole('link', { name: 'Edit Webshop orders' }).click();
    await page.getByRole('heading', { name: 'Edit Webshop orders', level: 1 }).waitFor();

    expect(await page.getByLabel('Name').inputValue()).toBe('Webshop orders');
    const owner = page.getByLabel('Owner');
    await offers(owner, ['Nagy Péter']);
    expect(await owner.inputValue()).toBe('Nagy Péter');
    await offers(page.getByLabel('Invoice link field'), ['UnasLink']);
    expect(await page.getByLabel('Invoice link field').inputValue()).toBe('UnasLink');
    expect(await page.getByLabel('UNAS status field').inputValue()).toBe('UnasStatus');
    const tolove = page.getByLabel('MiniCRM status for Törölve');
    await offers(tolove, ['Sztornó']);
    expect(await page.getByLabel('MiniCRM status for Beérkezett').inputValue()).toBe('Új rendelés');
    expect(await page.getByLabel('MiniCRM status for Teljesítve').inputValue()).toBe('Teljesítve');
    expect(await tolove.inputValue()).toBe('');
    const syncFrom = page.getByLabel('Sync orders placed from');
    expect(await syncFrom.inputValue()).toBe('2020-01-01');
    expect(await syncFrom.isDisabled()).toBe(true);
    expect(await page.getByLabel('UNAS shop (orders are read here)').isDisabled()).toBe(true);
    expect(await page.getByLabel('Every').inputValue()).toBe('1');
    expect(await page.getByLabel('Unit').inputValue()).toBe('3600');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'order-sync-form-edit');

    // Sztornó was offered when the page loaded; MiniCRM loses it before the save.
    delete CRM_STATUSES['17']['3004'];
    await tolove.selectOption('Sztornó');
    await page.getByLabel('Every').fill('30');
    await page.getByLabel('Unit').selectOption({ label: 'minutes' });
    await page.getByLabel('UNAS status field').selectOption({ index: 0 });
    await page.getByRole('button', { name: 'Save changes' }).click();
    const reason = page.getByRole('row', { name: /Törölve/ }).locator('.field-error');
    await reason.waitFor({ timeout: 60_000 });
    expect(await reason.textContent()).toContain('"Sztornó" is not a status of the Orders module');
    expect(await tolove.getAttribute('aria-invalid')).toBe('true');
    expect(await tolove.getAttribute('aria-describedby')).toBe(await reason.getAttribute('id'));
    // Far down the form: the refused input has the focus, so the reason is where the user is.
    expect(await tolove.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    // Refused: nothing of it was saved.
    expect((await view()).config).toMatchObject({ pollIntervalSeconds: 3600, statusField: 'UnasStatus' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'order-sync-form-refused');

    CRM_STATUSES['17']['3004'] = 'Sztornó';
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Webshop orders', exact: true, level: 1 }).waitFor({ timeout: 60_000 });
    const after = await view();
    expect(after.config).toMatchObject({ pollIntervalSeconds: 1800, syncFrom: '2020-01-01', statusMap: { Beérkezett: 'Új rendelés', Teljesítve: 'Teljesítve', Törölve: 'Sztornó' } });
    expect(after.config.statusField).toBeUndefined();

    // The held orders now have a mapped status: they arrive once each, as Sztornó.
    await waitFor('the held orders in MiniCRM', () => keysOf('Törölve').map(card), (cards) => cards.every((c) => c?.StatusId === 3004));
    const counts = cardsByOrder(crm);
    expect(counts.size).toBe(unas.orders.length);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});
