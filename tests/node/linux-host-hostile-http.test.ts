// otau-host run against a hostile HTTP server written here on node:net, so that every byte of
// a response head is the test's: long status and header lines, bad Content-Length values,
// redirects to other protocols and in loops, and Murano config answers that hold config_otau
// twice or a NUL byte. The server is also the Murano API (activation, long-poll, otau_in).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_PATH, hostExit, readSlot, startHost } from './support/otau-host.ts';
import { readHostTrace, traceStatuses, MURANO_OTAU_IN, type StatusReport } from './support/otau-trace.ts';

const OLD = '1.0.0';
const NEW = '1.1.0';
const RUN_LIMIT_MS = 20_000;
const LAST_MODIFIED = 'Sat, 05 Dec 2026 10:00:00 GMT';

interface Request {
  method: string;
  target: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** What the server answers one request with: raw bytes, written as they are, then the connection closes. */
type Route = (request: Request) => Buffer | string | Promise<Buffer | string>;

function response(status: string, headers: string[], body: Buffer | string = ''): Buffer {
  const head = [`HTTP/1.1 ${status}`, ...headers, 'Connection: close', '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]);
}

/** A one-request-per-connection HTTP/1.1 server whose answers are whatever a route returns. */
class HostileServer {
  private server: Server = createServer((socket) => this.serve(socket));
  private sockets = new Set<Socket>();
  routes = new Map<string, Route>();
  /** The documents devices wrote to otau_in, per CIK. */
  otauIn = new Map<string, StatusReport[]>();
  configs = new Map<string, string>();
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A device `identity` whose config_otau answer is the form body `form`. */
  device(identity: string, form: string): void {
    this.configs.set(`cik-${identity}`.padEnd(40, '0'), form);
  }

  statuses(identity: string): StatusReport[] {
    return this.otauIn.get(`cik-${identity}`.padEnd(40, '0')) ?? [];
  }

  private serve(socket: Socket): void {
    let received = Buffer.alloc(0);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const [requestLine, ...lines] = received.subarray(0, headEnd).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (received.length < headEnd + 4 + length) return;
      socket.removeAllListeners('data');
      const [method, target] = requestLine.split(' ');
      const request = { method, target, headers, body: received.subarray(headEnd + 4, headEnd + 4 + length) };
      void Promise.resolve(this.answer(request)).then((bytes) => socket.end(bytes));
    });
  }

  private async answer(request: Request): Promise<Buffer | string> {
    const cik = request.headers['x-exosite-cik'] ?? '';
    if (request.method === 'POST' && request.target === '/provision/activate') {
      const identity = new URLSearchParams(request.body.toString()).get('id') ?? '';
      return response('200 OK', ['Content-Length: 40'], `cik-${identity}`.padEnd(40, '0'));
    }
    if (request.method === 'GET' && request.target.startsWith('/onep:v1/stack/alias')) {
      const form = this.configs.get(cik);
      if (form === undefined) return response('401 Unauthorized', ['Content-Length: 0']);
      // A long-poll that has seen this value: hold it, then "not modified".
      if (request.headers['if-modified-since'] === LAST_MODIFIED) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return response('304 Not Modified', ['Content-Length: 0']);
      }
      const body = Buffer.from(form, 'latin1');
      return response('200 OK', [`Content-Length: ${body.length}`, `Last-Modified: ${LAST_MODIFIED}`,
        'Content-Type: application/x-www-form-urlencoded'], body);
    }
    if (request.method === 'POST' && request.target === '/onep:v1/stack/alias') {
      const document = new URLSearchParams(request.body.toString()).get('otau_in') ?? '';
      const list = this.otauIn.get(cik) ?? [];
      list.push(JSON.parse(document) as StatusReport);
      this.otauIn.set(cik, list);
      return response('204 No Content', []);
    }
    const route = this.routes.get(request.target);
    return route ? route(request) : response('404 Not Found', ['Content-Length: 0']);
  }
}

describe('otau-host run against a hostile HTTP server', () => {
  const server = new HostileServer();
  let dir = '';
  let devices = 0;

  before(async () => {
    await server.start();
    dir = mkdtempSync(join(tmpdir(), 'linux-host-hostile-'));
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A device whose config is NEW, a FILE of `image` at `path` (its route the test's). */
  function device(path: string, image: Buffer): { identity: string; flash: string; trace: string; args: string[] } {
    const identity = `hostile-${++devices}`;
    const config = JSON.stringify({
      version: NEW, name: 'fw', type: 'FILE', payload: `${server.url}${path}`,
      sha256: createHash('sha256').update(image).digest('hex'), size: image.length,
    });
    server.device(identity, `config_otau=${encodeURIComponent(config)}`);
    const flash = join(dir, `${identity}.img`);
    const trace = join(dir, `${identity}.trace`);
    const args = ['run', '--agent', AGENT_PATH, '--flash', flash, '--firmware-version', OLD,
      '--murano', server.url, '--identity', identity, '--trace', trace, '--poll-timeout-ms', '1000',
      '--confirm-after-ms', '200', '--exit-when-installed', NEW, '--setting', 'max-attempts=1'];
    return { identity, flash, trace, args };
  }

  /** Runs otau-host until the trace holds a report with `status` (then kills it); its output. */
  async function runUntil(args: string[], trace: string, status: string): Promise<{ statuses: StatusReport[]; output: string }> {
    const host = startHost(args);
    const deadline = Date.now() + RUN_LIMIT_MS;
    let statuses: StatusReport[] = [];
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      try {
        statuses = traceStatuses(readHostTrace(trace), MURANO_OTAU_IN);
      } catch {
        statuses = [];
      }
      if (statuses.some((report) => report.status === status) || host.child.exitCode !== null) break;
      if (Date.now() > deadline) break;
    }
    host.child.kill('SIGKILL');
    await hostExit(host, RUN_LIMIT_MS);
    return { statuses, output: host.output() };
  }

  it('installs an image whose status line has a 300-byte reason phrase and a 600-byte header line', async () => {
    const image = randomBytes(20_000);
    server.routes.set('/long-lines.bin', () =>
      response(`200 ${'Fine'.repeat(75)}`, [`X-Padding: ${'x'.repeat(600)}`, `Content-Length: ${image.length}`], image));
    const run = device('/long-lines.bin', image);
    const host = startHost(run.args);
    const exit = await hostExit(host, RUN_LIMIT_MS);
    assert.equal(exit.code, 0, host.output());
    assert.ok(readSlot(run.flash, 'B', image.length).equals(image));
  });

  for (const [name, value] of [['trailing garbage', '%dabc'], ['an exponent', '1e400'], ['a value over 4 GiB', '99999999999']]) {
    it(`refuses a Content-Length with ${name}: the fetch fails and nothing is installed`, async () => {
      const image = randomBytes(5_000);
      const path = `/content-length-${devices + 1}.bin`;
      server.routes.set(path, () => response('200 OK', [`Content-Length: ${value.replace('%d', String(image.length))}`], image));
      const run = device(path, image);
      const { statuses, output } = await runUntil(run.args, run.trace, 'DOWNLOAD_ERROR');
      assert.match(output, /fetch refused: the server sent a Content-Length that is not a number below 4 GiB/);
      assert.ok(statuses.some((report) => report.status === 'DOWNLOAD_ERROR'), JSON.stringify(statuses));
      assert.ok(!statuses.some((report) => report.status === 'DOWNLOAD_SUCCESS'), JSON.stringify(statuses));
      assert.ok(!statuses.some((report) => /server reports 1 bytes/.test(report.message)), JSON.stringify(statuses));
    });
  }

  it('reports a 206 without Content-Range as starting at an unknown byte: its bytes are never installed', async () => {
    const image = randomBytes(10_000);
    server.routes.set('/no-content-range.bin', () => response('206 Partial Content', [`Content-Length: ${image.length}`], image));
    const run = device('/no-content-range.bin', image);
    const { statuses, output } = await runUntil(run.args, run.trace, 'DOWNLOAD_ERROR');
    assert.ok(statuses.some((report) => report.status === 'DOWNLOAD_ERROR'), output);
    assert.ok(!statuses.some((report) => report.status === 'DOWNLOAD_SUCCESS'), JSON.stringify(statuses));
  });

  it('does not follow a redirect to ftp://', async () => {
    let ftpConnections = 0;
    const ftp = createServer((socket) => {
      ftpConnections++;
      socket.on('error', () => {});
      socket.destroy();
    });
    await new Promise<void>((resolve) => ftp.listen(0, '127.0.0.1', resolve));
    const ftpUrl = `ftp://127.0.0.1:${(ftp.address() as AddressInfo).port}/fw.bin`;
    try {
      server.routes.set('/to-ftp.bin', () => response('302 Found', [`Location: ${ftpUrl}`, 'Content-Length: 0']));
      const run = device('/to-ftp.bin', randomBytes(1000));
      const { statuses, output } = await runUntil(run.args, run.trace, 'DOWNLOAD_ERROR');
      assert.ok(statuses.some((report) => report.status === 'DOWNLOAD_ERROR'), output);
      assert.equal(ftpConnections, 0, 'otau-host connected to the ftp:// redirect target');
    } finally {
      await new Promise<void>((resolve) => ftp.close(() => resolve()));
    }
  });

  it('gives up a redirect loop after a bounded number of hops', async () => {
    let hops = 0;
    server.routes.set('/loop.bin', () => {
      hops++;
      return response('302 Found', ['Location: /loop.bin', 'Content-Length: 0']);
    });
    const run = device('/loop.bin', randomBytes(1000));
    const { statuses, output } = await runUntil(run.args, run.trace, 'DOWNLOAD_ERROR');
    assert.ok(statuses.some((report) => report.status === 'DOWNLOAD_ERROR'), output);
    assert.ok(hops >= 2 && hops <= 6, `${hops} requests for one attempt`);
  });

  for (const [name, form, reason] of [
    ['config_otau twice', (doc: string) => `config_otau=${encodeURIComponent(doc)}&config_otau=${encodeURIComponent(doc.replace(NEW, '9.9.9'))}`, 'the answer holds config_otau more than once'],
    ['a NUL byte', (doc: string) => `config_otau=${encodeURIComponent(doc)}\u0000&config_otau=x`, 'the answer holds a NUL byte'],
  ] as const) {
    it(`refuses a Murano config answer with ${name}: a TEST_ERROR on otau_in, the agent never sees it`, async () => {
      const run = device('/unused.bin', randomBytes(100));
      const config = JSON.stringify({ version: NEW, name: 'fw', type: 'FILE', payload: `${server.url}/unused.bin` });
      server.device(run.identity, form(config));
      const { statuses, output } = await runUntil(run.args, run.trace, 'TEST_ERROR');
      const refusal = statuses.find((report) => report.status === 'TEST_ERROR');
      assert.ok(refusal, output);
      assert.equal(refusal.message, `config_otau refused by the host: ${reason}`);
      assert.equal(refusal.version, '');
      assert.ok(!statuses.some((report) => report.status === 'INIT'), JSON.stringify(statuses));
      assert.match(output, new RegExp(`config_otau answer refused: ${reason}`));
      // The report reached Murano's otau_in too.
      assert.ok(server.statuses(run.identity).some((report) => report.status === 'TEST_ERROR'));
    });
  }

  it('keeps the activation token (CIK) file readable by its owner only', async () => {
    const run = device('/unused.bin', randomBytes(100));
    server.device(run.identity, 'other_alias=1');
    const host = startHost(run.args);
    const cikFile = `${run.flash}.cik`;
    const deadline = Date.now() + RUN_LIMIT_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      try {
        if (statSync(cikFile).size > 0) break;
      } catch {
        // not written yet
      }
    }
    host.child.kill('SIGKILL');
    await hostExit(host, RUN_LIMIT_MS);
    assert.equal(statSync(cikFile).mode & 0o777, 0o600);
  });
});
