import { createHash } from 'node:crypto';
import type { SyncProject } from '../../connectors/minicrm/sync';
import type { UnasOrder } from '../../connectors/unas/orders';
import type { MiniCrmTargets } from './targets';

export const orderExternalId = (key: string) => `unas-order-${key}`;
export const customerExternalId = (order: UnasOrder) => `unas-customer-${order.Customer?.Id || order.Customer?.Email || order.Key}`;

function buyer(order: UnasOrder) {
  const c = order.Customer;
  const invoice = c?.Addresses?.Invoice;
  return {
    '@_Id': customerExternalId(order),
    Name: c?.Contact?.Name || invoice?.Name || c?.Email || `UNAS customer ${c?.Id ?? ''}`.trim(),
    Type: 'Person',
    Email: c?.Email ?? '',
    Phone: c?.Contact?.Phone || c?.Contact?.Mobile || '',
  };
}

/**
 * The card for one order in MiniCRM's Orders module: external id = the UNAS order key, so the XML
 * sync upserts the same card on every later change; status, owner, link and UNAS status on top,
 * the order itself (customer, items) in the Orders block the module reads.
 */
export function orderProject(order: UnasOrder, statusId: string, t: MiniCrmTargets): SyncProject {
  const invoice = order.Customer?.Addresses?.Invoice;
  const project: SyncProject = {
    '@_Id': orderExternalId(order.Key),
    Name: `${order.Key} – ${buyer(order).Name}`,
    CategoryId: t.ordersCategoryId,
    StatusId: statusId,
    UserId: t.ownerId,
    [t.linkField]: order.Invoice?.Url ?? '',
  };
  if (t.statusField) project[t.statusField] = order.Status;
  project.Contacts = { Contact: [buyer(order)] };
  project.Orders = {
    Order: [
      {
        '@_Id': order.Key,
        Number: order.Key,
        CurrencyCode: order.Currency ?? '',
        Status: order.Status,
        Customer: {
          Name: invoice?.Name ?? buyer(order).Name,
          Country: invoice?.CountryCode ?? invoice?.Country ?? '',
          PostalCode: invoice?.ZIP ?? '',
          City: invoice?.City ?? '',
          Address: invoice?.Street ?? '',
        },
        Products: {
          Product: (order.Items?.Item ?? []).map((item) => ({
            '@_Id': item.Sku || item.Id || '',
            Name: item.Name ?? '',
            SKU: item.Sku ?? '',
            PriceNet: item.PriceNet ?? '',
            Quantity: item.Quantity ?? '',
            Unit: item.Unit ?? '',
            VAT: item.Vat ?? '',
          })),
        },
      },
    ],
  };
  return project;
}

/** The buyer's card in the Webshop module: one per UNAS customer, shared by all their orders. */
export function buyerProject(order: UnasOrder, t: MiniCrmTargets): SyncProject {
  const b = buyer(order);
  return {
    '@_Id': customerExternalId(order),
    Name: b.Name,
    CategoryId: t.webshopCategoryId,
    UserId: t.ownerId,
    Contacts: { Contact: [b] },
  };
}

/** What was last written for an order; an unchanged fingerprint means nothing to write. */
export function fingerprint(project: SyncProject): string {
  return createHash('sha256').update(JSON.stringify(project)).digest('base64url').slice(0, 22);
}
