import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendContent } from '../network/content-response.ts';
import { FaultBook } from '../network/fault-book.ts';
import { LoopbackHttpServer } from '../network/loopback.ts';
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
  private readonly http = new LoopbackHttpServer('the Kaa HTTP API', (req, res) => {
    // An unexpected failure must not take the test process down: drop that connection only.
    this.route(req, res).catch(() => res.destroy());
  });

  constructor(private readonly platform: KaaPlatform) {
    this.rest = new KaaRestApi(platform);
  }

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
    await sendContent(req, res, file.bytes, this.downloadFaults.take(key), this.http.stopSignal, { bytesSent: 0 });
  }
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}
