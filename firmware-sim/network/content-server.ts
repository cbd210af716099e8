import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { sendContent, type ContentResponseProgress } from './content-response.ts';
import { FaultBook } from './fault-book.ts';
import type { FaultSpec } from './faults.ts';
import { LoopbackHttpServer } from './loopback.ts';

type ContentSource = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'file'; filePath: string };

interface ServedContent {
  source: ContentSource;
  contentType: string;
}

/** One request the server received, filled in as the answer goes out. */
export interface ContentRequestRecord extends ContentResponseProgress {
  method: string;
  path: string;
  /** The Range header as sent, if any. */
  range?: string;
  /** The fault spec applied to this request, if any. */
  faults?: string;
}

export interface ServeOptions {
  contentType?: string;
}

/**
 * An HTTP file server on loopback for firmware images, with per-request fault injection
 * (see faults.ts for the spec language). Serves GET and HEAD with single byte ranges.
 */
export class ContentServer {
  /** Fault rules by URL path (or ANY_PATH); add with injectFaults or directly. */
  readonly faults = new FaultBook();
  private readonly content = new Map<string, ServedContent>();
  private readonly log: ContentRequestRecord[] = [];
  private readonly http = new LoopbackHttpServer('ContentServer', (req, res) => {
    // An unexpected failure must not take the test process down: drop that connection only.
    this.handle(req, res).catch(() => res.destroy());
  });

  /** Starts listening on a free loopback port; returns the base URL (no trailing slash). */
  async start(port = 0): Promise<string> {
    return this.http.start(port);
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  get baseUrl(): string {
    return this.http.url;
  }

  /** The absolute URL of a served path. */
  url(path: string): string {
    return this.baseUrl + checkPath(path);
  }

  /** Serves `bytes` at `path` (replacing what was there). */
  serveBytes(path: string, bytes: Uint8Array, options: ServeOptions = {}): void {
    this.content.set(checkPath(path), { source: { kind: 'bytes', bytes }, contentType: options.contentType ?? 'application/octet-stream' });
  }

  /** Serves the file at `filePath`, read afresh on every request. */
  serveFile(path: string, filePath: string, options: ServeOptions = {}): void {
    this.content.set(checkPath(path), { source: { kind: 'file', filePath }, contentType: options.contentType ?? 'application/octet-stream' });
  }

  remove(path: string): void {
    this.content.delete(path);
  }

  /** Queues a fault rule for `path` (or ANY_PATH, "*"); throws FaultSpecError on bad specs. */
  injectFaults(path: string, spec: string | FaultSpec): FaultSpec {
    return this.faults.add(path === '*' ? path : checkPath(path), spec);
  }

  /** Every request received so far, oldest first. */
  get requests(): readonly ContentRequestRecord[] {
    return this.log;
  }

  /** How many requests arrived for `path`, or for any path. */
  requestCount(path?: string): number {
    return path === undefined ? this.log.length : this.log.filter((r) => r.path === path).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://content.invalid').pathname;
    const record: ContentRequestRecord = { method: req.method ?? 'GET', path, range: req.headers.range, bytesSent: 0 };
    this.log.push(record);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      answer(res, record, 405, `method ${req.method} is not allowed; use GET or HEAD\n`, { Allow: 'GET, HEAD' });
      return;
    }
    const served = this.content.get(path);
    if (!served) {
      answer(res, record, 404, `nothing is served at ${path}\n`);
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = served.source.kind === 'bytes' ? served.source.bytes : await readFile(served.source.filePath);
    } catch (error) {
      answer(res, record, 404, `${path} is served from a file that cannot be read: ${(error as Error).message}\n`);
      return;
    }
    const spec = this.faults.take(path);
    record.faults = spec?.text;
    await sendContent(req, res, bytes, spec, this.http.stopSignal, record, served.contentType);
  }
}

function answer(res: ServerResponse, record: ContentRequestRecord, status: number, text: string, headers: Record<string, string> = {}): void {
  record.status = status;
  res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
  res.end(text);
  record.outcome = 'complete';
}

function checkPath(path: string): string {
  if (!path.startsWith('/')) throw new Error(`a served path must start with "/", got "${path}"`);
  return path;
}
