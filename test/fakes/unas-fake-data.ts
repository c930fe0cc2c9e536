export type UnasStatusType = 'open_normal' | 'open_prepare' | 'close_ok' | 'close_fault';

export interface UnasStatus {
  id: number;
  name: string;
  type: UnasStatusType;
}

export interface UnasAddress {
  name: string;
  zip: string;
  city: string;
  street: string;
  countryCode: string;
}

export interface UnasCustomer {
  id: number;
  email: string;
  name: string;
  phone: string;
  invoice: UnasAddress;
  shipping: UnasAddress;
}

export interface UnasItem {
  id: string;
  sku: string;
  name: string;
  unit: string;
  quantity: number;
  priceNet: number;
  priceGross: number;
  vat: string;
}

export interface UnasOrder {
  /** Customer-facing order number, e.g. `1000-1000001`; the only identifier setOrder accepts. */
  key: string;
  /** Internal numeric id; getOrder results are sorted by it. */
  id: number;
  /** ms timestamps; rendered as Europe/Budapest wall-clock time. */
  placedAt: number;
  modifiedAt: number;
  lang: string;
  customer: UnasCustomer;
  currency: string;
  /** Status name, e.g. `Beérkezett`. */
  status: string;
  statusId: number;
  payment: { id: number; name: string; type: string; status: string };
  shipping: { id: number; name: string };
  items: UnasItem[];
  sumPriceGross: number;
  /** The order's invoice document (Status 0 not invoiceable, 1 invoiceable, 2 invoiced); Url links the document. */
  invoice: { status: 0 | 1 | 2; number: string; url: string };
}

export type UnasOrderInput = Partial<Omit<UnasOrder, 'customer'>> & { customer?: Partial<UnasCustomer> };

export const DEFAULT_UNAS_STATUSES: readonly UnasStatus[] = [
  { id: 123456, name: 'Beérkezett', type: 'open_normal' },
  { id: 123457, name: 'Feldolgozás alatt', type: 'open_prepare' },
  { id: 123458, name: 'Teljesítve', type: 'close_ok' },
  { id: 123459, name: 'Törölve', type: 'close_fault' },
];

const LAST_NAMES = ['Kovács', 'Nagy', 'Szabó', 'Tóth', 'Horváth', 'Varga', 'Kiss', 'Molnár', 'Németh', 'Farkas'];
const FIRST_NAMES = ['Anna', 'Péter', 'Zsófia', 'László', 'Eszter', 'Gábor', 'Katalin', 'Ádám', 'Réka', 'Ödön'];
const PLACES: ReadonlyArray<readonly [string, string, string]> = [
  ['1052', 'Budapest', 'Váci utca 12.'],
  ['4026', 'Debrecen', 'Piac utca 3.'],
  ['6720', 'Szeged', 'Kárász utca 8/B'],
  ['7621', 'Pécs', 'Király utca 21.'],
  ['9021', 'Győr', 'Baross Gábor út 5.'],
];
const PRODUCTS: ReadonlyArray<readonly [string, string, number]> = [
  ['BOR-001', 'Egri Bikavér 0,75 l', 3150],
  ['SAJT-12', 'Trappista sajt & vaj csomag', 2200],
  ['KAV-500', 'Kávé "Prémium" <500 g>', 4890],
  ['TEA-020', 'Gyümölcstea 20 filter', 990],
  ['MEZ-250', 'Akácméz 250 g', 1750],
];
const PAYMENTS = [
  { id: 100, name: 'Utalás', type: 'transfer', status: 'paid' },
  { id: 101, name: 'Utánvét', type: 'cod', status: 'unpaid' },
  { id: 102, name: 'Bankkártya', type: 'bankcard', status: 'paid' },
];
const SHIPPINGS = [
  { id: 200, name: 'Futárszolgálat' },
  { id: 201, name: 'Személyes átvétel' },
];

function pick<T>(list: readonly T[], random: () => number): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('pick from empty list');
  return item;
}

function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export function resolveStatus(statuses: readonly UnasStatus[], input: { status?: string; statusId?: number }): UnasStatus {
  const found =
    input.statusId !== undefined
      ? statuses.find((s) => s.id === input.statusId)
      : input.status !== undefined
        ? statuses.find((s) => s.name === input.status)
        : statuses[0];
  if (!found) throw new Error(`UnasFake: unknown status ${input.statusId ?? input.status ?? '(none)'}`);
  return found;
}

export function sumGross(items: readonly UnasItem[]): number {
  return items.reduce((sum, item) => sum + item.priceGross * item.quantity, 0);
}

/** A realistic order; `seq` makes keys, ids and customer ids unique. */
export function generateOrder(
  seq: number,
  random: () => number,
  now: number,
  statuses: readonly UnasStatus[],
  input: UnasOrderInput = {},
): UnasOrder {
  const name = `${pick(LAST_NAMES, random)} ${pick(FIRST_NAMES, random)}`;
  const [zip, city, street] = pick(PLACES, random);
  const address: UnasAddress = { name, zip, city, street, countryCode: 'hu' };
  const itemCount = random() < 0.5 ? 1 : 2;
  const items: UnasItem[] = [];
  for (let i = 0; i < itemCount; i++) {
    const [sku, productName, priceNet] = pick(PRODUCTS, random);
    items.push({
      id: String(5000 + PRODUCTS.findIndex((p) => p[0] === sku)),
      sku,
      name: productName,
      unit: 'db',
      quantity: 1 + Math.floor(random() * 3),
      priceNet,
      priceGross: Math.round(priceNet * 1.27),
      vat: '27%',
    });
  }
  const customer: UnasCustomer = {
    id: 100000 + seq,
    email: `${asciiSlug(name).replace(' ', '.')}${seq}@example.hu`,
    name,
    phone: `+3630${String(1000000 + seq).slice(-7)}`,
    invoice: address,
    shipping: { ...address },
    ...input.customer,
  };
  const status = resolveStatus(statuses, input);
  const placedAt = input.placedAt ?? now;
  const finalItems = input.items ?? items;
  return {
    key: input.key ?? `1000-${1000000 + seq}`,
    id: input.id ?? 3000000 + seq,
    placedAt,
    modifiedAt: input.modifiedAt ?? placedAt,
    lang: input.lang ?? 'hu',
    customer,
    currency: input.currency ?? 'HUF',
    status: status.name,
    statusId: status.id,
    payment: input.payment ?? { ...pick(PAYMENTS, random) },
    shipping: input.shipping ?? { ...pick(SHIPPINGS, random) },
    items: finalItems,
    sumPriceGross: input.sumPriceGross ?? sumGross(finalItems),
    invoice: input.invoice ?? { status: 2, number: `SZ-${2026}-${String(seq).padStart(6, '0')}`, url: `https://shop.unas.hu/shop_invoice.php?key=${input.key ?? `1000-${1000000 + seq}`}` },
  };
}
