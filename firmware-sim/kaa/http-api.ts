import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { sendContent } from '../network/content-response.ts';
import { FaultBook } from '../network/fault-book.ts';
import { closeServer, listenOnLoopback, LOOPBACK_HOST, trackSockets } from '../network/loopback.ts';
import type { KaaPlatform } from './platform.ts';
import { KaaRestApi } from './rest-api.ts';

const FILES_PREFIX = '/files/';

/**
 * The emulator's HTTP side: the OTAO REST API under /api/v1/ and the presigned file downloads
 * under /files/<tenantId>/<application>/<version>/<fileName> (what S3 serves for real Kaa).
 */
export class KaaHttpApi {
  /** Fault rules for downloads, keyed by stored file key (`tenant/app/version/name`). */
  readonly downloadFaults = new FaultBook();
  private readonly rest: KaaRestApi;
  private server?: Server;
  private sockets = new Set<Socket>();
  private stopping = new AbortController();
  private port = 0;

  constructor(private readonly platform: KaaPlatform) {
    this.rest = new KaaRestApi(platform);
  }

  async start(): Promise<string> {
    if (this.server) throw new Error('the Kaa HTTP API is already started');
    this.stopping = new AbortController();
    // An unexpected failure must not take the test process down: drop that connection only.
    const server = createServer((req, res) => this.route(req, res).catch(() => res.destroy()));
    this.sockets = trackSockets(server);
    this.port = await listenOnLoopback(server);
    this.server = server;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.stopping.abort();
    await closeServer(server, this.sockets);
  }

  get url(): string {
    if (!this.server) throw new Error('the Kaa HTTP API is not started');
    return `http://${LOOPBACK_HOST}:${this.port}`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kaa.invalid');
    if (url.pathname.startsWith(FILES_PREFIX)) await this.download(req, res, url);
    else await this.rest.handle(req, res, url);
  }

  private async download(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      reply(res, 405, `method ${req.method} is not allowed on downloads`);
      return;
    }
    const check = this.platform.signer.verify(url.pathname, url.searchParams, Math.floor(this.platform.clock.now() / 1000));
    if (!check.ok) {
      reply(res, 403, check.reason);
      return;
    }
    let key: string;
    try {
      key = url.pathname.slice(FILES_PREFIX.length).split('/').map(decodeURIComponent).join('/');
    } catch {
      reply(res, 400, 'the download path is not valid percent-encoding');
      return;
    }
    const file = this.platform.fileByKey(key);
    if (!file) {
      reply(res, 404, `no stored file ${key}`);
      return;
    }
    await sendContent(req, res, file.bytes, this.downloadFaults.take(key), this.stopping.signal, { bytesSent: 0 });
  }
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}
