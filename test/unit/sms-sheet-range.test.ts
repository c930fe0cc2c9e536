import { randomBytes } from 'node:crypto';
import { parseSheetRange } from '../../kinds/sms-send/sheet-range';
import { integrationOfSecret, webhookSecret, webhookUrl } from '../../kinds/sms-send/webhook-url';
import { SecretBox } from '../../lib/secret-box';

describe('sms-send sheet range', () => {
  it.each([
    ["'Customers'!A:F", { sheet: 'Customers', cells: 'A:F', headerRow: 1 }],
    ["'It''s mine'!B3:D", { sheet: "It's mine", cells: 'B3:D', headerRow: 3 }],
    ['Sheet1!A2:C500', { sheet: 'Sheet1', cells: 'A2:C500', headerRow: 2 }],
    ['Customers', { sheet: 'Customers', headerRow: 1 }],
    ["'Ügyfelek'", { sheet: 'Ügyfelek', headerRow: 1 }],
  ])('%s', (range, expected) => {
    expect(parseSheetRange(range)).toEqual(expected);
  });
});

describe('8x8 webhook secret', () => {
  const id = '1c8f3c0e-4a57-4c0e-9d43-54a1b2c3d4e5';
  const oldKey = { id: 'old', key: randomBytes(32) };
  const newKey = { id: 'new', key: randomBytes(32) };

  it('belongs to one integration and is accepted after the key rotates, until the old key is dropped', () => {
    const before = new SecretBox([oldKey]);
    const secret = webhookSecret(before, id);
    expect(webhookUrl('https://hooks.example.com/', before, id)).toBe(`https://hooks.example.com/webhooks/8x8/${secret}`);
    expect(integrationOfSecret(before, secret)).toBe(id);
    expect(integrationOfSecret(new SecretBox([newKey, oldKey]), secret)).toBe(id);
    expect(integrationOfSecret(new SecretBox([newKey]), secret)).toBeUndefined();
  });

  it('refuses a secret moved to another integration, or made up', () => {
    const box = new SecretBox([oldKey]);
    const mac = webhookSecret(box, id).split('.')[1];
    expect(integrationOfSecret(box, `2c8f3c0e-4a57-4c0e-9d43-54a1b2c3d4e5.${mac}`)).toBeUndefined();
    expect(integrationOfSecret(box, 'nonsense')).toBeUndefined();
    expect(integrationOfSecret(box, `${id}.${'A'.repeat(32)}`)).toBeUndefined();
  });
});
