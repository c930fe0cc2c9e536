import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const BUDAPEST = 'Europe/Budapest';

const zonedFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: BUDAPEST,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Formatted seconds: a query over 10,000 orders formats the same few seconds 10,000 times, and Intl is slow. */
const formatted = new Map<string, string>();

/** Wall-clock time in Budapest, e.g. `2024.05.01 12:00:00` (UNAS) or `2024-05-01 12:00:00` (MiniCRM). */
export function formatBudapest(ms: number, dateSeparator: '.' | '-'): string {
  const key = `${Math.floor(ms / 1000)}${dateSeparator}`;
  let text = formatted.get(key);
  if (text === undefined) {
    if (formatted.size >= 10_000) formatted.clear();
    text = formatBudapestNow(ms, dateSeparator);
    formatted.set(key, text);
  }
  return text;
}

function formatBudapestNow(ms: number, dateSeparator: '.' | '-'): string {
  const parts: Record<string, string> = {};
  for (const part of zonedFormat.formatToParts(ms)) parts[part.type] = part.value;
  const date = [parts.year, parts.month, parts.day].join(dateSeparator);
  return `${date} ${parts.hour}:${parts.minute}:${parts.second}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Text content of a parsed element: a plain string, or `#text` when the element also has attributes. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value)) {
    const text = value['#text'];
    if (typeof text === 'string') return text;
    if (Object.keys(value).every((k) => k.startsWith('@_'))) return '';
  }
  return undefined;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** CDATA cannot contain `]]>`, so that sequence is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** `content` is already serialized XML: pass `escapeXml(…)`, `cdata(…)` or nested `el(…)`. */
export function el(tag: string, content: string): string {
  return `<${tag}>${content}</${tag}>`;
}

export function textEl(tag: string, value: string | number): string {
  return el(tag, escapeXml(String(value)));
}

/** Parses with every value kept as a string and attributes as `@_name`; undefined when not well-formed. */
export function parseXml(text: string, arrayTags: readonly string[] = []): unknown {
  if (text.trim() === '' || XMLValidator.validate(text) !== true) return undefined;
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (tagName) => arrayTags.includes(tagName),
  });
  const parsed: unknown = parser.parse(text);
  return parsed;
}

/** Sliding-window counter: `hit` answers whether one more event still fits in the window. */
export class SlidingWindow {
  private readonly events: number[] = [];
  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  count(): number {
    const cutoff = this.now() - this.windowMs;
    while (this.events.length > 0 && (this.events[0] ?? 0) <= cutoff) this.events.shift();
    return this.events.length;
  }

  /** Records the event and returns true when it is within `limit`; a refused event is not recorded. */
  tryHit(limit: number | null): boolean {
    if (limit !== null && this.count() >= limit) return false;
    this.events.push(this.now());
    return true;
  }
}
