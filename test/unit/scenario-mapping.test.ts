import { isMapped, placeholders, refProblem, render } from '../../kinds/scenario/mapping';

const scope = { record: { id: 7, properties: { Name: 'Dana Levi', 'Full name': 'Dana L.', Phone: '+972501234567', Tags: ['vip', 'il'] } }, actions: [{ customerId: 123 }] };

describe('scenario mapping', () => {
  it('keeps the type of a field that is one placeholder, and fills text around others', () => {
    expect(render({ customer: { id: '{{actions.0.customerId}}' }, text: 'Hi {{record.properties.Name}} ({{record.id}})' }, scope)).toEqual({
      customer: { id: 123 },
      text: 'Hi Dana Levi (7)',
    });
  });

  it('leaves out a field whose whole value is missing, and writes nothing for a missing part of a text', () => {
    expect(render({ phone: '{{record.properties.Mobile}}', text: 'call {{record.properties.Mobile}}!' }, scope)).toEqual({ text: 'call !' });
  });

  it('reads keys with spaces, joins lists, and maps inside arrays', () => {
    expect(render({ items: [{ name: '{{record.properties.Full name}}' }], tags: 'tags: {{record.properties.Tags}}' }, scope)).toEqual({
      items: [{ name: 'Dana L.' }],
      tags: 'tags: vip, il',
    });
  });

  it('names where each placeholder sits', () => {
    expect(placeholders({ a: 'x {{record.id}}', b: [{ c: '{{actions.0.customerId}}' }], d: 5 })).toEqual([
      { path: ['a'], ref: 'record.id' },
      { path: ['b', 0, 'c'], ref: 'actions.0.customerId' },
    ]);
  });

  it('refuses references to the same or a later action, and unknown roots', () => {
    expect(refProblem('record.properties.Name', 0)).toBeNull();
    expect(refProblem('actions.0.customerId', 1)).toBeNull();
    expect(refProblem('actions.1.customerId', 1)).toMatch(/does not run before action 1/);
    expect(refProblem('actions.first.id', 2)).toMatch(/actions\.N/);
    expect(refProblem('Name', 0)).toMatch(/starts with record\./);
  });

  it('tells which schema errors concern mapped fields (known only at run time)', () => {
    const input = { customer: { id: '{{actions.0.customerId}}' }, quantity: 'two' };
    expect(isMapped(input, ['customer', 'id'])).toBe(true);
    expect(isMapped(input, ['quantity'])).toBe(false);
    expect(isMapped(input, ['name'])).toBe(false);
  });
});
