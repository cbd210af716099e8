import { request, type IncomingHttpHeaders } from 'node:http';

/** What a client really received, including a body cut short by a dropped connection. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** False when the connection ended before the body the headers promised. */
  complete: boolean;
  /** Milliseconds from sending the request to the end (or the drop). */
  elapsedMs: number;
  /** Milliseconds from sending the request to the status line. */
  headersMs: number;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One request on a fresh connection (no keep-alive pool, so servers can stop at once). */
export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const headersMs = performance.now() - started;
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = (complete: boolean): void => {
        if (settled) return;
        settled = true;
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          complete,
          elapsedMs: performance.now() - started,
          headersMs,
        });
      };
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => finish(res.complete));
      res.on('aborted', () => finish(false));
      res.on('error', () => finish(false));
      res.on('close', () => finish(res.complete));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
