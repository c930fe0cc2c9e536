import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { MiniCrmFake } from './minicrm-fake';
import { UnasFake } from './unas-fake';
import { WorksectionFake } from './worksection-fake';

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (tag) => tag === 'Order' || tag === 'Item' });

function xml(text: string): Record<string, unknown> {
  const parsed: unknown = parser.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('not XML');
  return Object.fromEntries(Object.entries(parsed));
}

function orderKeys(text: string): string[] {
  const orders: unknown = xml(text).Orders;
  if (orders === '') return [];
  if (typeof orders !== 'object' || orders === null || !('Order' in orders) || !Array.isArray(orders.Order)) throw new Error(text);
  return orders.Order.map((o: unknown) => (typeof o === 'object' && o !== null && 'Key' in o ? String(o.Key) : '?'));
}

const T0 = Date.UTC(2024, 4, 1, 10, 0, 0); // 2024.05.01 12:00:00 in Budapest (CEST)

describe('UnasFake', () => {
  let clock = T0;
  let fake: UnasFake;
  beforeEach(async () => {
    clock = T0;
    fake = new UnasFake({ now: () => clock, orderQueriesPerHour: 3 });
    await fake.start();
  });
  afterEach(() => fake.close());

  const post = (path: string, body: string, token?: string): Promise<Response> =>
    fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
  const login = async (key = 'unas-test-key'): Promise<string> => {
    const res = await post('/login', `<?xml version="1.0" encoding="UTF-8" ?><Params><ApiKey>${key}</ApiKey><WebshopInfo>true</WebshopInfo></Params>`);
    const login: unknown = xml(await res.text()).Login;
    if (typeof login !== 'object' || login === null || !('Token' in login)) throw new Error('no token');
    return String(login.Token);
  };
  const getOrder = async (token: string, params: string): Promise<{ status: number; text: string }> => {
    const res = await post('/getOrder', `<?xml version="1.0" encoding="UTF-8" ?><Params>${params}</Params>`, token);
    return { status: res.status, text: await res.text() };
  };

  it('logs in with a valid key and rejects a bad one', async () => {
    const ok = await post('/login', '<Params><ApiKey>unas-test-key</ApiKey></Params>');
    const body = await ok.text();
    expect(ok.status).toBe(200);
    expect(body).toMatch(/^<\?xml version="1.0" encoding="UTF-8" \?>\n<Login><Token>[0-9a-f]{40}<\/Token>/);
    expect(body).toContain('<Expire>2024.05.01 14:00:00</Expire>');
    expect(body).toContain('<Status>ok</Status>');
    const bad = await post('/login', '<Params><ApiKey>nope</ApiKey></Params>');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<Error>Invalid API key</Error>');
  });

  it('filters by TimeMod (inclusive, whole seconds) and DateStart in Budapest time, sorted by Id', async () => {
    const s = T0 / 1000;
    fake.addOrder({ id: 30, key: 'K30', placedAt: T0, modifiedAt: (s + 1) * 1000 + 999 });
    fake.addOrder({ id: 10, key: 'K10', placedAt: Date.UTC(2024, 3, 30, 22, 30), modifiedAt: (s + 2) * 1000 });
    fake.addOrder({ id: 20, key: 'K20', placedAt: Date.UTC(2024, 3, 30, 21, 59), modifiedAt: (s + 3) * 1000 });
    const token = await login();
    const mod = await getOrder(token, `<TimeModStart>${s + 1}</TimeModStart><TimeModEnd>${s + 2}</TimeModEnd>`);
    expect(orderKeys(mod.text)).toEqual(['K10', 'K30']);
    // 22:30 UTC on 30 April is already 1 May in Budapest; 21:59 UTC is not.
    const day = await getOrder(token, '<DateStart>2024.05.01</DateStart>');
    expect(orderKeys(day.text)).toEqual(['K10', 'K30']);
    expect(day.text).toContain('<Date>2024.05.01 00:30:00</Date>');
  });

  it('paginates with LimitNum/LimitStart and escapes special characters', async () => {
    fake.addOrders(5);
    fake.addOrder({ customer: { name: 'Kovács & <Társa> ]]> Kft.' } });
    const token = await login();
    const page = await getOrder(token, '<LimitNum>2</LimitNum><LimitStart>2</LimitStart>');
    expect(orderKeys(page.text)).toEqual(fake.orders.slice(2, 4).map((o) => o.key));
    expect((await getOrder(token, '<LimitNum>501</LimitNum>')).text).toContain('<Error>LimitNum max 500</Error>');
    const last = await getOrder(token, `<Key>${fake.orders[5]?.key}</Key>`);
    expect(last.text).toContain('<Name><![CDATA[Kovács & <Társa> ]]]]><![CDATA[> Kft.]]></Name>');
    expect(JSON.stringify(xml(last.text))).toContain('Kovács & <Társa> ]]> Kft.');
  });

  it('bans after the multi-order quota, but single-order queries use their own quota', async () => {
    fake.addOrders(2);
    const token = await login();
    for (let i = 0; i < 3; i++) expect((await getOrder(token, '')).status).toBe(200);
    expect((await getOrder(token, `<Key>${fake.orders[0]?.key}</Key>`)).status).toBe(200);
    expect(fake.banned).toBe(false);
    const banned = await getOrder(token, '<StatusName>Beérkezett|Teljesítve</StatusName>');
    expect(banned.status).toBe(400);
    expect(banned.text).toContain('<Error>Too much getOrder query, IP is banned till 2024.05.01 13:00:00</Error>');
    expect(fake.banned).toBe(true);
    expect((await getOrder(token, `<Key>${fake.orders[0]?.key}</Key>`)).text).toContain('IP is banned till');
    clock += 3_600_001;
    expect((await getOrder(token, '')).status).toBe(200);
  });

  it('gives no response at all after 10 unidentifiable calls in 10 minutes', async () => {
    for (let i = 0; i < 9; i++) expect((await post('/getOrder', '<Params/>', 'bad-token')).status).toBe(400);
    expect(fake.banned).toBe(false);
    await expect(post('/login', '<Params><ApiKey>bad</ApiKey></Params>')).rejects.toThrow();
    expect(fake.banned).toBe(true);
    await expect(login()).rejects.toThrow();
    expect(fake.calls.at(-1)?.status).toBe('no-response');
  });

  it('expires tokens and updates orders through setOrder', async () => {
    const order = fake.addOrder();
    const token = await login();
    clock += 60_000;
    const res = await post('/setOrder', `<Orders><Order><Action>modify</Action><Key>${order.key}</Key><Status>Teljesítve</Status></Order></Orders>`, token);
    expect(await res.text()).toContain(`<Key>${order.key}</Key><Status>ok</Status>`);
    expect(fake.getOrder(order.key)).toMatchObject({ status: 'Teljesítve', modifiedAt: clock });
    clock += 2 * 3_600_000;
    expect((await getOrder(token, '')).text).toContain('<Error>Token expired</Error>');
  });

  it('injected faults answer with XML errors and never count toward bans', async () => {
    fake.faults = { failRate: 1, statuses: [429] };
    for (let i = 0; i < 12; i++) {
      const res = await post('/login', '<Params><ApiKey>bad</ApiKey></Params>');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('1');
    }
    expect(fake.banned).toBe(false);
  });
});

describe('MiniCrmFake', () => {
  let clock = T0;
  let fake: MiniCrmFake;
  const auth = `Basic ${Buffer.from('12345:minicrm-test-key').toString('base64')}`;
  beforeEach(async () => {
    clock = T0;
    fake = new MiniCrmFake({ now: () => clock, requestsPerMinute: null });
    await fake.start();
  });
  afterEach(() => fake.close());

  const call = async (method: string, path: string, body?: string, authorization = auth): Promise<{ status: number; json: unknown; text: string }> => {
    const res = await fetch(`${fake.url}${path}`, { method, headers: { authorization }, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  };
  const upload = (projects: string, systemId = '12345'): Promise<{ status: number; json: unknown }> =>
    call('POST', `/Api/SyncFeed/${systemId}/Upload`, `<?xml version="1.0" encoding="UTF-8"?><Projects>${projects}</Projects>`);
  const orderProject = (id: string, status = '3001', extra = ''): string =>
    `<Project Id="${id}"><Name>Rendelés ${id}</Name><CategoryId>17</CategoryId><StatusId>${status}</StatusId><UserId>101</UserId>` +
    `<UnasLink>https://shop.example.hu/admin/order/${id}</UnasLink>${extra}` +
    `<Contacts><Contact Id="C-${id}"><Name>Kovács Anna</Name><Type>Person</Type><Email>anna@example.hu</Email></Contact></Contacts>` +
    `<Orders><Order Id="${id}"><Number>${id}</Number><CurrencyCode>HUF</CurrencyCode><Status>Beérkezett</Status>` +
    `<Products><Product Id="P1"><Name>Bor &amp; sajt</Name><SKU>BOR-001</SKU><PriceNet>1000</PriceNet><Quantity>2</Quantity><Unit>db</Unit><VAT>27%</VAT></Product></Products></Order></Orders></Project>`;

  it('answers bad credentials and a wrong SystemId with 404', async () => {
    const bad = await call('GET', '/Api/R3/Category', undefined, `Basic ${Buffer.from('12345:wrong').toString('base64')}`);
    expect(bad).toMatchObject({ status: 404, json: { Message: 'Unauthorized: Access denied' } });
    expect((await upload(orderProject('X'), '999')).status).toBe(404);
  });

  it('serves categories and schemas', async () => {
    expect((await call('GET', '/Api/R3/Category')).json).toEqual({ '1': 'Sales', '17': 'Orders', '18': 'Webshop' });
    const schema = await call('GET', '/Api/R3/Schema/Project/17');
    expect(schema.json).toMatchObject({ StatusId: { '3001': 'Új rendelés' }, UserId: { '101': 'Kovács Anna' }, UnasLink: 'Text(1024)', OrderTotal: 'Int' });
    expect((await call('GET', '/Api/R3/Schema/Project/99')).status).toBe(404);
  });

  it('pages project lists: Results keyed by id, zero-based Page, 100 per page, case-sensitive params', async () => {
    for (let i = 0; i < 150; i++) fake.addProject({ CategoryId: 17, Name: `Card ${i}`, fields: { UnasStatus: i % 2 ? 'Teljesítve' : 'Beérkezett' } });
    const first = await call('GET', '/Api/R3/Project?CategoryId=17&Page=0');
    const second = await call('GET', '/Api/R3/Project?CategoryId=17&Page=1');
    expect(first.json).toMatchObject({ Count: 150 });
    const results = (r: unknown): Record<string, unknown> =>
      typeof r === 'object' && r !== null && 'Results' in r && typeof r.Results === 'object' && r.Results !== null ? Object.fromEntries(Object.entries(r.Results)) : {};
    expect(Object.keys(results(first.json))).toHaveLength(100);
    expect(Object.keys(results(second.json))).toHaveLength(50);
    const firstId = fake.projects()[0]?.Id ?? 0;
    expect(results(first.json)[String(firstId)]).toMatchObject({ Id: firstId, Url: `${fake.url}/Api/R3/Project/${firstId}`, Deleted: 0 });
    expect((await call('GET', '/Api/R3/Project?CategoryId=17&UnasStatus=Teljes%C3%ADtve')).json).toMatchObject({ Count: 75 });
    expect(await call('GET', '/Api/R3/Project?categoryId=17')).toMatchObject({ status: 400, json: { Message: 'Unknown parameter: categoryId' } });
  });

  it('creates and updates cards over R3 with the documented quirks', async () => {
    const created = await call('PUT', '/Api/R3/Project', JSON.stringify({ CategoryId: 17, Name: 'Kézi', StatusId: 'Feldolgozás', UserId: 'Senki Sem', OrderTotal: 7620 }));
    expect(created.status).toBe(200);
    const id = typeof created.json === 'object' && created.json !== null && 'Id' in created.json ? Number(created.json.Id) : 0;
    const card = fake.project(id);
    expect(card).toMatchObject({ StatusId: 3002, fields: { OrderTotal: '7620' } });
    expect([101, 102]).toContain(card?.UserId);
    expect((await call('PUT', `/Api/R3/Project/${id}`, JSON.stringify({ StatusId: 9999 }))).status).toBe(500);
    expect((await call('PUT', `/Api/R3/Project/${id}`, JSON.stringify({ Bogus: 1 }))).status).toBe(400);
    const detail = await call('GET', `/Api/R3/Project/${id}`);
    expect(detail.json).toMatchObject({ Id: id, CategoryId: 17, StatusId: 3002, OrderTotal: 7620, CreatedAt: '2024-05-01 12:00:00' });
  });

  it('upserts XML sync projects by external id and validates each project', async () => {
    const first = await upload(orderProject('1000-1000001'));
    expect(first.status).toBe(200);
    const card = fake.projectByExternalId(17, '1000-1000001');
    expect(first.json).toEqual({ Status: 'Ok', Count: 1, Results: { '1000-1000001': { Id: card?.Id, Status: 'Ok' } } });
    clock += 5_000;
    await upload(orderProject('1000-1000001', '3003', '<UnasStatus>Teljesítve</UnasStatus>'));
    expect(fake.projects(17)).toHaveLength(1);
    expect(fake.contacts()).toHaveLength(1);
    expect(fake.projectByExternalId(17, '1000-1000001')).toMatchObject({
      StatusId: 3003,
      updateCount: 1,
      updatedAt: clock,
      ContactId: fake.contacts()[0]?.Id,
      fields: { UnasStatus: 'Teljesítve' },
      orders: [{ Id: '1000-1000001', Products: [{ Name: 'Bor & sajt', VAT: '27%' }] }],
    });
    const mixed = await upload(orderProject('A', '9999') + orderProject('B', '3001', '<Nope>1</Nope>') + orderProject('C'));
    expect(mixed.json).toMatchObject({
      Count: 3,
      Results: { A: { Status: 'Error', Message: 'Invalid StatusId 9999' }, B: { Status: 'Error', Message: 'Unknown field Nope' }, C: { Status: 'Ok' } },
    });
    expect(fake.projects(17).map((p) => p.ExternalId)).toEqual(['1000-1000001', 'C']);
    expect(await upload('<Project Id="x"><Name>broken</Project>')).toMatchObject({ status: 400, json: { Message: 'Invalid XML' } });
    expect(fake.uploads).toBe(3);
  });

  it('answers 429 beyond requestsPerMinute, separately from the sync quota', async () => {
    await fake.close();
    fake = new MiniCrmFake({ now: () => clock, requestsPerMinute: 5, syncUploadsPerHour: 1 });
    await fake.start();
    for (let i = 0; i < 5; i++) expect((await call('GET', '/Api/R3/Category')).status).toBe(200);
    expect((await upload(orderProject('S'))).status).toBe(200);
    expect(await call('GET', '/Api/R3/Category')).toMatchObject({ status: 429, text: 'Too Many Requests' });
    expect((await upload(orderProject('S'))).status).toBe(429);
    expect(fake.limitViolations).toBe(2);
    clock += 60_001;
    expect((await call('GET', '/Api/R3/Category')).status).toBe(200);
  });
});

describe('WorksectionFake', () => {
  const KEY = '7776461cd931e7b1c8e9632ff8e979ce';
  let fake: WorksectionFake;
  beforeEach(async () => {
    fake = new WorksectionFake({ apiKey: KEY, requestsPerSecond: null });
    await fake.start();
  });
  afterEach(() => fake.close());

  /** Sends `query` signed over `signed` (by default the same string). fetch's URL parser turns a literal ' into %27. */
  const call = async (query: string, signed = query): Promise<unknown> => {
    const hash = createHash('md5').update(signed + KEY).digest('hex');
    return (await fetch(`${fake.url}/api/admin/v2/?${query}&hash=${hash}`)).json();
  };

  it('checks the hash over the query string exactly as it arrived', async () => {
    expect(await call('action=get_users')).toMatchObject({ status: 'ok' });
    const strict = 'action=search_tasks&filter=name%20has%20%27Call%27';
    expect(await call(strict)).toMatchObject({ status: 'ok', data: [] });
    expect(fake.calls.at(-1)!.query.filter).toBe("name has 'Call'");
  });

  it('refuses a hash over other bytes than were sent, as Worksection does', async () => {
    const invalid = { status: 'error', message: 'Invalid hash' };
    // Signed with a literal ', which goes on the wire as %27.
    expect(await call("action=search_tasks&filter=name%20has%20'Call'")).toMatchObject(invalid);
    expect(fake.calls.at(-1)!.rawQuery).toMatch(/^action=search_tasks&filter=name%20has%20%27Call%27&hash=/);
    // Signed over the decoded form, or another encoding of the same values.
    expect(await call('action=search_tasks&filter=name%20has%20%27Call%27', "action=search_tasks&filter=name has 'Call'")).toMatchObject(invalid);
    expect(await call('action=search_tasks&filter=a%2Ab', 'action=search_tasks&filter=a*b')).toMatchObject(invalid);
    expect(await call('action=search_tasks&filter=%C5%91', 'action=search_tasks&filter=%c5%91')).toMatchObject(invalid);
  });
});

describe('fault injection', () => {
  const statuses = async (seed: number): Promise<Array<number | 'no-response'>> => {
    const fake = new MiniCrmFake({ seed, requestsPerMinute: null, faults: { failRate: 0.3 } });
    await fake.start();
    const auth = `Basic ${Buffer.from('12345:minicrm-test-key').toString('base64')}`;
    for (let i = 0; i < 200; i++) await (await fetch(`${fake.url}/Api/R3/Category`, { headers: { authorization: auth } })).text();
    await fake.close();
    expect(fake.limitViolations).toBe(0);
    return fake.calls.map((c) => c.status);
  };

  it('honours the fail rate roughly and replays the same sequence for a seed', async () => {
    const a = await statuses(7);
    const failed = a.filter((s) => s !== 200);
    expect(failed.length / a.length).toBeGreaterThan(0.2);
    expect(failed.length / a.length).toBeLessThan(0.4);
    expect(new Set(failed)).toEqual(new Set([429, 500, 502, 503]));
    expect(await statuses(7)).toEqual(a);
    expect(await statuses(8)).not.toEqual(a);
  });

  it('leaves timed-out requests unanswered and close() still returns', async () => {
    const fake = new UnasFake({ faults: { failRate: 0, timeoutRate: 1 } });
    await fake.start();
    await expect(fetch(`${fake.url}/login`, { method: 'POST', body: '<Params/>', signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(fake.calls.map((c) => c.status)).toEqual(['no-response']);
    await fake.close();
  });
});
