import { orderSyncConfig } from '../../kinds/order-sync/config';
import { parseStatusMapText, StatusMapSyntaxError } from '../../kinds/order-sync/status-map';

describe('status map text, as MiniCRM documents it', () => {
  it('reads the documented form, with typographic quotes pasted from the help page', () => {
    expect(parseStatusMapText('{”Beérkezett”: ”Új rendelés”, "Teljesítve":"Teljesítve"}')).toEqual({ Beérkezett: 'Új rendelés', Teljesítve: 'Teljesítve' });
    expect(parseStatusMapText(' {\n "A \\"B\\"": "C"\n} ')).toEqual({ 'A "B"': 'C' });
    expect(parseStatusMapText('{}')).toEqual({});
  });

  it.each([
    ['{"a": "b" "c": "d"}', 10, "',' or '}'"],
    ['{"a" "b"}', 5, "':' after \"a\""],
    ['"a": "b"', 0, "'{'"],
    ['{"a": "b"} x', 11, 'end of text after the closing }'],
    ['{"a": "b", "a": "c"}', 11, 'each UNAS status once, but "a" is repeated'],
    ['{"a": "b', 8, 'a closing quote for the MiniCRM status that starts at position 6'],
  ])('points at the mistake in %s', (text, position, expected) => {
    try {
      parseStatusMapText(text);
      throw new Error('parsed');
    } catch (e) {
      expect(e).toBeInstanceOf(StatusMapSyntaxError);
      expect(e).toMatchObject({ position, expected });
    }
  });

  it('is accepted in config as text or as an object, and an empty one is refused', () => {
    const base = { owner: 'Kovács Anna', linkField: 'UnasLink', syncFrom: '2024-01-01' };
    expect(orderSyncConfig.parse({ ...base, statusMap: '{"A": "B"}' }).statusMap).toEqual({ A: 'B' });
    expect(orderSyncConfig.parse({ ...base, statusMap: { A: 'B' } }).pollIntervalSeconds).toBe(300);
    const bad = orderSyncConfig.safeParse({ ...base, statusMap: {} });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['statusMap']);
  });
});
