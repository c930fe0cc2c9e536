import {
  parseTemplate,
  renderTemplate,
  SYSTEM_VARIABLES,
  TemplateSyntaxError,
  templateVariables,
  UnknownTemplateVariableError,
  validateTemplate,
} from '../../kinds/sms-send/template';

const row = { Név: 'Kovács Éva', Rendelésszám: 'R-1042', 'Szállítási cím': 'Győr, Árpád út 1.', Telefon: '+36301234567' };

describe('parsing', () => {
  it('splits text into literals and variables, trimming whitespace inside the braces', () => {
    expect(parseTemplate('Szia {{ Név }}, rendelés: {{Rendelésszám}}!')).toEqual([
      { kind: 'literal', text: 'Szia ' },
      { kind: 'variable', name: 'Név', start: 5, end: 14 },
      { kind: 'literal', text: ', rendelés: ' },
      { kind: 'variable', name: 'Rendelésszám', start: 26, end: 42 },
      { kind: 'literal', text: '!' },
    ]);
    expect(parseTemplate('')).toEqual([]);
    expect(parseTemplate('no variables } }} here')).toEqual([{ kind: 'literal', text: 'no variables } }} here' }]);
  });

  it('lists each variable once, in order of first use', () => {
    expect(templateVariables('{{Név}} {{date}} {{ Név }} {{Rendelésszám}}')).toEqual(['Név', 'date', 'Rendelésszám']);
  });

  it.each([
    ['Szia {{Név', 5, 1, 6, "'{{' is not closed by '}}'"],
    ['{{}} x', 0, 1, 1, 'empty variable name'],
    ['a {{   }} b', 2, 1, 3, 'empty variable name'],
    ['{{Név {{Rendelésszám}}', 0, 1, 1, "'{{' is not closed by '}}'"],
    ['{{{Név}}}', 2, 1, 3, "unexpected '{' in a variable name"],
    ['Első sor\nmásodik {{ Név', 17, 2, 9, "'{{' is not closed by '}}'"],
  ])('reports a syntax error in %j at position %i (line %i, column %i)', (text, position, line, column, what) => {
    let caught: unknown;
    try {
      parseTemplate(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TemplateSyntaxError);
    expect(caught).toMatchObject({ problem: { kind: 'syntax', position, line, column }, message: `${what} at position ${position} (line ${line}, column ${column})` });
  });

  it('reports every syntax error at once when validating', () => {
    expect(validateTemplate('{{}} ok {{x').map((p) => [p.kind, p.position])).toEqual([
      ['syntax', 0],
      ['syntax', 8],
    ]);
  });
});

describe('validation against the sheet’s columns', () => {
  const columns = Object.keys(row);

  it('accepts columns and system variables combined freely', () => {
    expect(validateTemplate('{{Név}}, a {{Rendelésszám}} rendelését {{date}} {{time}}-kor visszaigazoltuk ({{year}}/{{month}}/{{day}})', columns)).toEqual([]);
  });

  it('names each unknown variable with its position', () => {
    const problems = validateTemplate('Szia {{Nev}}! {{Összeg}} Ft, {{date}}', columns);
    expect(problems.map((p) => [p.kind, p.name, p.position])).toEqual([
      ['unknown-variable', 'Nev', 5],
      ['unknown-variable', 'Összeg', 14],
    ]);
    expect(problems[1]?.message).toBe('unknown variable {{Összeg}} at position 14 (line 1, column 15)');
  });

  it('matches case-sensitively, and suggests the column that differs only in case', () => {
    const [problem] = validateTemplate('{{név}} {{DATE}}', columns);
    expect(problem?.message).toBe('unknown variable {{név}} at position 0 (line 1, column 1); did you mean {{Név}}?');
    expect(validateTemplate('{{DATE}}', columns)[0]?.message).toContain('did you mean {{date}}?');
  });

  it('treats a column header with stray spaces as its trimmed name', () => {
    expect(validateTemplate('{{Név}}', [' Név  '])).toEqual([]);
  });

  it('matches accented names whatever their Unicode form (NFD from a Mac, NFC from the sheet)', () => {
    const decomposed = 'Ne\u0301v';
    expect(validateTemplate(`{{${decomposed}}}`, ['Név'])).toEqual([]);
    expect(renderTemplate(`Szia {{${decomposed}}}`, row, new Date('2026-06-10T10:00:00Z'), 'UTC')).toBe('Szia Kovács Éva');
  });

  it('checks only syntax when the columns are not known', () => {
    expect(validateTemplate('{{Bármi}} {{date}}')).toEqual([]);
  });
});

describe('rendering', () => {
  it('fills columns and the moment of sending in the integration’s zone', () => {
    const text = '{{Név}}, a(z) {{Rendelésszám}} számú rendelését {{date}} {{time}}-kor visszaigazoltuk. Cím: {{ Szállítási cím }}';
    // 01:00 UTC on the spring-forward day is 03:00 summer time in Budapest.
    expect(renderTemplate(text, row, new Date('2026-03-29T01:00:00Z'), 'Europe/Budapest')).toBe(
      'Kovács Éva, a(z) R-1042 számú rendelését 2026-03-29 03:00-kor visszaigazoltuk. Cím: Győr, Árpád út 1.',
    );
  });

  it('renders the spec’s example', () => {
    const text = '{{Name}}, your order {{Order}} is confirmed on {{date}}';
    expect(renderTemplate(text, { Name: 'Anna', Order: '#77' }, new Date('2026-06-10T10:00:00Z'), 'UTC')).toBe('Anna, your order #77 is confirmed on 2026-06-10');
  });

  it.each([
    ['UTC', '2026-12-31 23:30 2026 12 31'],
    ['Europe/Budapest', '2027-01-01 00:30 2027 01 01'],
    ['America/New_York', '2026-12-31 18:30 2026 12 31'],
    ['Asia/Kolkata', '2027-01-01 05:00 2027 01 01'],
  ])('reads the system variables in %s', (timeZone, expected) => {
    expect(renderTemplate('{{date}} {{time}} {{year}} {{month}} {{day}}', {}, new Date('2026-12-31T23:30:00Z'), timeZone)).toBe(expected);
  });

  it('pads hours, months and days so they compose into any layout', () => {
    expect(renderTemplate('{{day}}.{{month}}.{{year}}. {{time}}', {}, new Date('2026-03-05T07:04:00Z'), 'UTC')).toBe('05.03.2026. 07:04');
    expect(renderTemplate('{{time}}', {}, new Date('2026-03-05T00:00:59Z'), 'UTC')).toBe('00:00');
  });

  it('documents every system variable with an example in its own format', () => {
    expect(Object.keys(SYSTEM_VARIABLES)).toEqual(['time', 'date', 'year', 'month', 'day']);
    expect(SYSTEM_VARIABLES.date.example).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(SYSTEM_VARIABLES.time.example).toMatch(/^\d{2}:\d{2}$/);
  });

  it('lets a column named like a system variable win: the sheet’s "date" is what the user means', () => {
    expect(renderTemplate('{{date}}', { date: 'holnap' }, new Date('2026-06-10T10:00:00Z'), 'UTC')).toBe('holnap');
    expect(() => renderTemplate('{{Date}}', {}, new Date('2026-06-10T10:00:00Z'), 'UTC')).toThrow(UnknownTemplateVariableError);
  });

  it('keeps an empty cell empty', () => {
    expect(renderTemplate('[{{Név}}]', { Név: '' }, new Date(0), 'UTC')).toBe('[]');
  });

  it('refuses to render a variable the row lacks rather than send a half-filled SMS', () => {
    const render = () => renderTemplate('{{Név}}: {{Összeg}} {{Kupon}} {{Összeg}}', row, new Date(0), 'UTC');
    expect(render).toThrow(UnknownTemplateVariableError);
    expect(render).toThrow('the template uses {{Összeg}}, {{Kupon}}, which the row does not have');
  });

  it('refuses a template with a syntax error', () => {
    expect(() => renderTemplate('{{Név', row, new Date(0), 'UTC')).toThrow(TemplateSyntaxError);
  });
});
