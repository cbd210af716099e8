import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendContent } from '../network/content-response.ts';
import { FaultBook } from '../network/fault-book.ts';
import { BodyTooLargeError, LoopbackHttpServer, readBody } from '../network/loopback.ts';
import { MuranoError, type MuranoProduct, type ResourceValue } from './product.ts';

/** Murano's documented ceiling for Request-Timeout. */
export const MAX_REQUEST_TIMEOUT_MS = 300_000;
/** A resource value may be up to 1 MiB; leave room for the alias and encoding. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const ALIAS_PATH = '/onep:v1/stack/alias';
const RECORD_PATH = '/onep:v1/stack/record';

/**
 * The Murano HTTP Device API on loopback (docs/protocols.md "Transport: the HTTP Device API"):
 * activation, resource writes and reads, long-polling, product content download with ranges,
 * and the server timestamp.
 */
export class MuranoHttpDeviceApi {
  /** Fault rules for content downloads, keyed by content id. */
  readonly contentFaults = new FaultBook();
  private readonly http = new LoopbackHttpServer('the Murano HTTP API', (req, res) => {
    this.route(req, res).catch((error: unknown) => fail(res, 500, `emulator error: ${(error as Error).message}`));
  });

  constructor(private readonly product: MuranoProduct) {}

  async start(port = 0): Promise<string> {
    return this.http.start(port);
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  get url(): string {
    return this.http.url;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://murano.invalid');
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /timestamp':
        send(res, 200, String(Math.floor(this.product.clock.now() / 1000)));
        return;
      case 'POST /provision/activate':
        return this.activate(req, res);
      case 'GET /provision/download':
      case 'HEAD /provision/download':
        return this.download(req, res, url.searchParams);
      case `POST ${ALIAS_PATH}`:
        return this.write(req, res, url.searchParams);
      case `GET ${ALIAS_PATH}`:
        return this.read(req, res, url.searchParams);
      case `POST ${RECORD_PATH}`:
        return this.record(req, res);
      default:
        fail(res, 404, `no Device API route for ${route}`);
    }
  }

  private async activate(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await this.readForm(req, res);
    if (!form) return;
    const identity = form.get('id');
    if (!identity) {
      fail(res, 400, 'activation needs a form body with id=<identity>');
      return;
    }
    try {
      send(res, 200, this.product.activate(identity));
    } catch (error) {
      refuse(res, error);
    }
  }

  /**
   * Writes the form's values; aliases the product does not define are skipped, as Murano
   * does not count them as errors. With aliases in the query it is the hybrid write/read:
   * the answer is a read of those aliases, after the write.
   */
  private async write(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const identity = this.authenticate(req, res);
    if (!identity) return;
    const form = await this.readForm(req, res);
    if (!form) return;
    const writes = [...form.entries()];
    if (writes.length === 0) {
      fail(res, 400, 'the write body is empty; send <alias>=<urlencoded value>');
      return;
    }
    for (const [alias, value] of writes) {
      if (this.product.resourceWriter(alias) !== undefined) this.product.deviceWrite(identity, alias, value);
    }
    if ([...query.keys()].length === 0) send(res, 204);
    else this.sendValues(res, identity, [...query.keys()]);
  }

  /**
   * Timestamped values, `alias=<a>&<unix seconds>=<value>&…&alias=<b>&…` (the form gdc's
   * `http record` sends). The emulator keeps only current values, so each alias takes its
   * newest one; unknown aliases are skipped as in a write.
   */
  private async record(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const identity = this.authenticate(req, res);
    if (!identity) return;
    const form = await this.readForm(req, res);
    if (!form) return;
    const newest = new Map<string, { at: number; value: string }>();
    let alias: string | undefined;
    for (const [key, value] of form.entries()) {
      if (key === 'alias') {
        alias = value;
        continue;
      }
      const at = Number(key);
      if (alias === undefined || !/^\d+(\.\d+)?$/.test(key)) {
        fail(res, 400, `a record body is alias=<alias> followed by <unix seconds>=<value> pairs; got "${key}"`);
        return;
      }
      const previous = newest.get(alias);
      if (!previous || at >= previous.at) newest.set(alias, { at, value });
    }
    for (const [name, { value }] of newest) {
      if (this.product.resourceWriter(name) !== undefined) this.product.deviceWrite(identity, name, value);
    }
    send(res, 204);
  }

  private async read(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const identity = this.authenticate(req, res);
    if (!identity) return;
    const aliases = [...query.keys()];
    if (aliases.length === 0) {
      fail(res, 400, `name the aliases to read in the query, e.g. ${ALIAS_PATH}?config_otau`);
      return;
    }
    if (req.headers['request-timeout'] !== undefined) {
      await this.longPoll(req, res, identity, aliases);
      return;
    }
    this.sendValues(res, identity, aliases);
  }

  /** 200 with the aliases that have a value, form-encoded; 204 when none has (unknown ones included). */
  private sendValues(res: ServerResponse, identity: string, aliases: string[]): void {
    const values = aliases.flatMap((alias) => {
      const current = this.product.resourceWriter(alias) === undefined ? undefined : this.product.read(identity, alias);
      return current ? [encodeValue(alias, current)] : [];
    });
    if (values.length === 0) send(res, 204);
    else send(res, 200, values.join('&'), { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' });
  }

  /**
   * Answers 200 at once when the value changed after If-Modified-Since (unix seconds, as gdc
   * sends, or an HTTP date; compared in whole seconds); otherwise waits for the next cloud
   * write, or 304 on timeout. An alias the product does not define just times out.
   */
  private async longPoll(req: IncomingMessage, res: ServerResponse, identity: string, aliases: string[]): Promise<void> {
    if (aliases.length !== 1) {
      fail(res, 400, `a long-poll reads exactly one alias, got ${aliases.length}`);
      return;
    }
    const alias = aliases[0];
    const timeoutText = String(req.headers['request-timeout']);
    const timeoutMs = /^\d+$/.test(timeoutText) ? Number(timeoutText) : NaN;
    if (!(timeoutMs <= MAX_REQUEST_TIMEOUT_MS)) {
      fail(res, 400, `Request-Timeout must be whole milliseconds from 0 to ${MAX_REQUEST_TIMEOUT_MS}, got "${timeoutText}"`);
      return;
    }
    const sinceHeader = req.headers['if-modified-since'];
    const since = sinceHeader === undefined ? undefined : parseSince(sinceHeader);
    if (since !== undefined && Number.isNaN(since)) {
      fail(res, 400, `If-Modified-Since is neither unix seconds nor an HTTP date: "${sinceHeader}"`);
      return;
    }
    const current = this.product.resourceWriter(alias) === undefined ? undefined : this.product.read(identity, alias);
    if (current && since !== undefined && Math.floor(current.modifiedAt / 1000) > Math.floor(since / 1000)) {
      sendChanged(res, alias, current);
      return;
    }
    const changed = await new Promise<ResourceValue | undefined>((resolve) => {
      const finish = (value: ResourceValue | undefined): void => {
        clearTimeout(timer);
        unsubscribe();
        this.http.stopSignal.removeEventListener('abort', onStop);
        req.socket.off('close', onGone);
        resolve(value);
      };
      const onStop = (): void => finish(undefined);
      const onGone = (): void => finish(undefined);
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const unsubscribe = this.product.onCloudWriteTo(identity, (write) => {
        if (write.alias === alias) finish(write.value);
      });
      this.http.stopSignal.addEventListener('abort', onStop, { once: true });
      req.socket.once('close', onGone);
    });
    if (res.destroyed || this.http.stopSignal.aborted) return;
    if (changed) sendChanged(res, alias, changed);
    else send(res, 304);
  }

  private async download(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    if (!this.authenticate(req, res)) return;
    const id = query.get('id');
    if (id === null) {
      send(res, 200, this.product.contentIds().map((contentId) => `${contentId}\r\n`).join(''), { 'Content-Type': 'text/csv' });
      return;
    }
    const item = this.product.content(id);
    if (!item) {
      fail(res, 404, `no content "${id}" in this product`);
      return;
    }
    if (query.get('info') === 'true') {
      const updated = Math.floor(item.updatedAt / 1000);
      send(res, 200, `${item.contentType},${item.body.length},${updated},${item.description}`, { 'Content-Type': 'text/csv' });
      return;
    }
    await sendContent(req, res, item.body, this.contentFaults.take(id), this.http.stopSignal, { bytesSent: 0 }, item.contentType);
  }

  /** The identity behind X-Exosite-CIK, or undefined after answering 401. */
  private authenticate(req: IncomingMessage, res: ServerResponse): string | undefined {
    const token = req.headers['x-exosite-cik'];
    if (typeof token !== 'string' || token === '') {
      fail(res, 401, 'missing X-Exosite-CIK header');
      return undefined;
    }
    const identity = this.product.identityOfToken(token);
    if (identity === undefined) fail(res, 401, 'X-Exosite-CIK is not the token of an activated device');
    else this.product.noteContact(identity, 'HTTP');
    return identity;
  }

  private async readForm(req: IncomingMessage, res: ServerResponse): Promise<URLSearchParams | undefined> {
    try {
      return new URLSearchParams((await readBody(req, MAX_BODY_BYTES)).toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLargeError) fail(res, 413, error.message);
      else throw error;
      return undefined;
    }
  }
}

/** Unix seconds (what Murano's docs and gdc use) or an HTTP date, as ms; NaN when neither. */
function parseSince(header: string): number {
  return /^\d+$/.test(header.trim()) ? Number(header.trim()) * 1000 : Date.parse(header);
}

/** Form encoding of raw bytes (what encodeURIComponent does for UTF-8 text, for any bytes). */
function percentEncode(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    text += /[A-Za-z0-9\-_.!~*'()]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return text;
}

function encodeValue(alias: string, value: ResourceValue): string {
  return `${alias}=${percentEncode(value.bytes)}`;
}

function sendChanged(res: ServerResponse, alias: string, value: ResourceValue): void {
  send(res, 200, encodeValue(alias, value), {
    'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
    'Last-Modified': new Date(value.modifiedAt).toUTCString(),
  });
}

/** Every answer carries Content-Length (as Murano's do), never chunked encoding. */
function send(res: ServerResponse, status: number, body = '', headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (status === 204 || status === 304) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers, 'Content-Length': bytes.length });
  res.end(bytes);
}

function fail(res: ServerResponse, status: number, message: string): void {
  send(res, status, `${message}\n`);
}

function refuse(res: ServerResponse, error: unknown): void {
  if (error instanceof MuranoError) fail(res, error.httpStatus, error.message);
  else throw error;
}
