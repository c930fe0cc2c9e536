/** Query values as connectors pass them: undefined is left out, an array repeats its key. */
export type QueryParams = Record<string, string | number | boolean | undefined | Array<string | number>>;

/**
 * RFC 3986 percent-encoding of UTF-8: everything but the unreserved characters A-Z a-z 0-9 - _ . ~
 * is encoded. encodeURIComponent leaves ! ' ( ) * as they are, and the URL parser fetch uses then
 * sends ' as %27, so a signature over its output is over bytes that never go on the wire. A string
 * encoded this way has nothing left for URL or fetch to encode or normalise.
 */
export function strictEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The query string of a signed request, in insertion order (fieldName=a&fieldName=b for arrays).
 * Build it once, sign that string and send that string: a provider checks its signature over the
 * query as it arrives.
 */
export function strictQuery(query: QueryParams): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${strictEncode(key)}=${strictEncode(String(v))}`);
  }
  return parts.join('&');
}
