import type { FakeResponse } from './fake-server';
import { cdata, el, formatBudapest, textEl } from './fake-util';
import type { UnasAddress, UnasOrder } from './unas-fake-data';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" ?>\n';
const XML_HEADERS = { 'content-type': 'text/xml; charset=UTF-8' };

export function unasDate(ms: number): string {
  return formatBudapest(ms, '.');
}

export function xmlResponse(status: number, rootXml: string, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { ...XML_HEADERS, ...headers }, body: XML_DECLARATION + rootXml };
}

/** UNAS errors are a bare `<Error>` root; HTTP 400 per third-party clients. */
export function unasError(message: string, status = 400, headers: Record<string, string> = {}): FakeResponse {
  return xmlResponse(status, el('Error', cdataIfNeeded(message)), headers);
}

function cdataIfNeeded(text: string): string {
  return /[&<>]/.test(text) ? cdata(text) : text;
}

export function loginXml(token: string, expiresAt: number, shopId: number, permissions: readonly string[]): string {
  return el(
    'Login',
    textEl('Token', token) +
      textEl('Expire', unasDate(expiresAt)) +
      textEl('ShopId', shopId) +
      textEl('Subscription', 'premium') +
      el('Permissions', permissions.map((p) => textEl('Permission', p)).join('')) +
      textEl('Status', 'ok'),
  );
}

function addressXml(tag: string, address: UnasAddress): string {
  return el(
    tag,
    el('Name', cdata(address.name)) +
      textEl('ZIP', address.zip) +
      el('City', cdata(address.city)) +
      el('Street', cdata(address.street)) +
      textEl('CountryCode', address.countryCode),
  );
}

export function orderXml(order: UnasOrder): string {
  const { customer } = order;
  const items = order.items.map((item) =>
    el(
      'Item',
      textEl('Id', item.id) +
        textEl('Sku', item.sku) +
        el('Name', cdata(item.name)) +
        el('Unit', cdata(item.unit)) +
        textEl('Quantity', item.quantity) +
        textEl('PriceNet', item.priceNet) +
        textEl('PriceGross', item.priceGross) +
        textEl('Vat', item.vat),
    ),
  );
  return el(
    'Order',
    textEl('Key', order.key) +
      textEl('Id', order.id) +
      textEl('Date', unasDate(order.placedAt)) +
      textEl('DateMod', unasDate(order.modifiedAt)) +
      textEl('Lang', order.lang) +
      el(
        'Customer',
        textEl('Id', customer.id) +
          textEl('Email', customer.email) +
          el('Contact', el('Name', cdata(customer.name)) + textEl('Phone', customer.phone)) +
          el('Addresses', addressXml('Invoice', customer.invoice) + addressXml('Shipping', customer.shipping)),
      ) +
      textEl('Currency', order.currency) +
      el('Status', cdata(order.status)) +
      textEl('StatusID', order.statusId) +
      el(
        'Payment',
        textEl('Id', order.payment.id) +
          el('Name', cdata(order.payment.name)) +
          textEl('Type', order.payment.type) +
          textEl('Status', order.payment.status),
      ) +
      el('Shipping', textEl('Id', order.shipping.id) + el('Name', cdata(order.shipping.name))) +
      el('Invoice', textEl('Status', order.invoice.status) + textEl('Number', order.invoice.number) + (order.invoice.url ? textEl('Url', order.invoice.url) : '')) +
      textEl('SumPriceGross', order.sumPriceGross) +
      el('Items', items.join('')),
  );
}

export function ordersXml(orders: readonly UnasOrder[]): string {
  return el('Orders', orders.map(orderXml).join(''));
}

export interface SetOrderResult {
  action: string;
  key: string;
  error?: string;
}

export function setOrderResultXml(results: readonly SetOrderResult[]): string {
  const orders = results.map((r) =>
    el(
      'Order',
      textEl('Action', r.action) +
        textEl('Key', r.key) +
        textEl('Status', r.error === undefined ? 'ok' : 'error') +
        (r.error === undefined ? '' : el('Error', cdata(r.error))),
    ),
  );
  return el('Orders', orders.join(''));
}
