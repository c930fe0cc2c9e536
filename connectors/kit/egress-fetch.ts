import type { LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import zlib from 'node:zlib';
import { resolveForEgress, type Egress } from './egress';

export interface EgressRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** The part of a fetch Response the kit reads. */
export interface EgressAnswer {
  status: number;
  headers: Headers;
  text(): Promise<string>;
}

/** Hands the connection the addresses already checked, whatever it asks (one, or all for happy eyeballs). */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

/** Rejects with the signal's reason (a TimeoutError) once it fires, as fetch does. */
function abortable<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body);
    case 'deflate':
      return zlib.inflateSync(body);
    case 'br':
      return zlib.brotliDecompressSync(body);
    default:
      return body;
  }
}

function answerOf(res: IncomingMessage, signal: AbortSignal): EgressAnswer {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const body = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.once('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
    res.once('close', () => {
      if (!res.complete) reject(new Error('the connection closed before the answer was complete'));
    });
  });
  // Read from the start, so a connection is never left holding an unread answer.
  body.catch(() => undefined);
  return {
    status: res.statusCode ?? 0,
    headers,
    text: async () => decode(await abortable(signal, body), res.headers['content-encoding']).toString('utf8'),
  };
}

/**
 * A fetch that only goes where egress allows: the URL is checked for the connector, its host
 * resolved and every address checked, and the connection made to those addresses only. Redirects
 * are never followed (node:http does not follow them): a 3xx comes back as it is, for the caller
 * to refuse, so credentials never travel on to another host.
 */
export async function egressFetch(rawUrl: string, req: EgressRequest, egress: Egress): Promise<EgressAnswer> {
  const url = new URL(rawUrl);
  const addresses = await abortable(req.signal, resolveForEgress(url, egress));
  const headers: Record<string, string> = { accept: '*/*', 'user-agent': 'durable-integrations', ...req.headers };
  const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
  if (req.body !== undefined) {
    // What fetch sends for a string body, so providers see the same request as before.
    if (!has('content-type')) headers['content-type'] = 'text/plain;charset=UTF-8';
    headers['content-length'] = String(Buffer.byteLength(req.body));
  }
  const send = url.protocol === 'https:' ? https.request : http.request;
  return abortable(
    req.signal,
    new Promise<EgressAnswer>((resolve, reject) => {
      const request = send(url, { method: req.method, headers, lookup: pinnedLookup(addresses), signal: req.signal }, (res) => resolve(answerOf(res, req.signal)));
      request.on('error', reject);
      request.end(req.body);
    }),
  );
}
