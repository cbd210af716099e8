import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentServer } from '../../firmware-sim/network/content-server.ts';
import { FaultSpecError, parseFaultSpec } from '../../firmware-sim/network/faults.ts';
import { resolveRange } from '../../firmware-sim/network/byte-range.ts';
import { rawRequest } from './support/raw-http.ts';

/** A body where every byte differs from its neighbours, so offsets are easy to check. */
function pattern(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + 3) & 0xff;
  return bytes;
}

const IMAGE = pattern(10_000);

describe('fault spec parser', () => {
  it('parses every fault kind and the request count', () => {
    const spec = parseFaultSpec(' truncate@10, close@20 ,flip@3,flip@4,stall@5:100,throttle:2048,delay:7,ignore-range,times:2');
    assert.deepEqual(spec.faults, [
      { kind: 'truncate', at: 10 },
      { kind: 'close', at: 20 },
      { kind: 'flip', at: 3 },
      { kind: 'flip', at: 4 },
      { kind: 'stall', at: 5, ms: 100 },
      { kind: 'throttle', bytesPerSecond: 2048 },
      { kind: 'delay', ms: 7 },
      { kind: 'ignore-range' },
    ]);
    assert.equal(spec.times, 2);
    assert.deepEqual(parseFaultSpec('status:503').faults, [{ kind: 'status', code: 503 }]);
    assert.deepEqual(parseFaultSpec('none,times:3'), { text: 'none,times:3', faults: [], times: 3 });
  });

  it('parses the hostile framing faults', () => {
    const spec = parseFaultSpec('extra:5,chunked,length:1e400,range-from:0,no-content-range');
    assert.deepEqual(spec.faults, [
      { kind: 'extra', bytes: 5 },
      { kind: 'chunked' },
      { kind: 'length', text: '1e400' },
      { kind: 'range-from', at: 0 },
      { kind: 'no-content-range' },
    ]);
    assert.deepEqual(parseFaultSpec('chunked-junk').faults, [{ kind: 'chunked-junk' }]);
    assert.deepEqual(parseFaultSpec('redirect:ftp://h/x,delay:5').faults, [{ kind: 'redirect', location: 'ftp://h/x' }, { kind: 'delay', ms: 5 }]);
  });

  it('leaves times undefined so the rule applies to every request', () => {
    assert.equal(parseFaultSpec('close@1').times, undefined);
  });

  const rejected: Array<[string, string, RegExp]> = [
    ['', '', /empty/],
    ['wobble@3', 'wobble@3', /unknown fault/],
    ['flip@x', 'flip@x', /byte offset must be a non-negative integer, got "x"/],
    ['flip@-1', 'flip@-1', /non-negative integer/],
    ['truncate@0', 'truncate@0', /between 1 and/],
    ['stall@10', 'stall@10', /expected stall@<offset>:<ms>/],
    ['stall@10:', 'stall@10:', /stall duration/],
    ['throttle:0', 'throttle:0', /between 1 and/],
    ['status:200', 'status:200', /HTTP status \(400-599\)/],
    ['close@1,,flip@2', '', /empty item/],
    ['close@1,close@2', 'close@2', /only once/],
    ['times:1,times:2', 'times:2', /twice/],
    ['times:0', 'times:0', /between 1 and/],
    ['none,flip@1', 'none', /cannot be combined/],
    ['status:500,flip@1', 'flip@1', /no body is sent with status:500/],
    ['redirect:/x,flip@1', 'flip@1', /no body is sent with redirect:\/x/],
    ['extra:0', 'extra:0', /between 1 and/],
    ['length:', 'length:', /printable text/],
  ];
  for (const [spec, part, reason] of rejected) {
    it(`rejects "${spec}" naming "${part}"`, () => {
      assert.throws(
        () => parseFaultSpec(spec),
        (error: unknown) => error instanceof FaultSpecError && error.part === part && reason.test(error.message),
      );
    });
  }
});

describe('byte range resolution', () => {
  it('reads first-last, open-ended and suffix ranges, clamping to the body', () => {
    assert.deepEqual(resolveRange('bytes=10-19', 100), { kind: 'partial', start: 10, end: 19 });
    assert.deepEqual(resolveRange('bytes=90-', 100), { kind: 'partial', start: 90, end: 99 });
    assert.deepEqual(resolveRange('bytes=-30', 100), { kind: 'partial', start: 70, end: 99 });
    assert.deepEqual(resolveRange('bytes=50-500', 100), { kind: 'partial', start: 50, end: 99 });
  });

  it('ignores malformed, reversed and multi-part ranges', () => {
    for (const header of ['bytes=abc', 'bytes=20-10', 'bytes=0-1,5-6', 'items=0-1', 'bytes=-']) {
      assert.deepEqual(resolveRange(header, 100), { kind: 'whole' }, header);
    }
  });

  it('reports ranges that start past the end as unsatisfiable', () => {
    assert.deepEqual(resolveRange('bytes=100-', 100), { kind: 'unsatisfiable' });
    assert.deepEqual(resolveRange('bytes=-0', 100), { kind: 'unsatisfiable' });
    assert.deepEqual(resolveRange('bytes=0-', 0), { kind: 'unsatisfiable' });
  });
});

describe('content server', () => {
  const server = new ContentServer();
  let tempDir = '';

  before(async () => {
    await server.start();
    tempDir = await mkdtemp(join(tmpdir(), 'content-server-'));
  });
  after(async () => {
    await server.stop();
    await rm(tempDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.faults.clear();
    server.serveBytes('/fw.bin', IMAGE);
  });

  describe('range semantics', () => {
    it('serves the whole file with 200, Content-Length and Accept-Ranges', async () => {
      const res = await rawRequest(server.url('/fw.bin'));
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-length'], String(IMAGE.length));
      assert.equal(res.headers['accept-ranges'], 'bytes');
      assert.ok(res.body.equals(IMAGE));
    });

    it('answers bytes=X-Y with 206, Content-Range and exactly those bytes', async () => {
      const res = await rawRequest(server.url('/fw.bin'), { headers: { Range: 'bytes=100-199' } });
      assert.equal(res.status, 206);
      assert.equal(res.headers['content-range'], `bytes 100-199/${IMAGE.length}`);
      assert.equal(res.headers['content-length'], '100');
      assert.ok(res.body.equals(IMAGE.subarray(100, 200)));
    });

    it('answers bytes=X- with the rest of the file', async () => {
      const res = await rawRequest(server.url('/fw.bin'), { headers: { Range: 'bytes=9000-' } });
      assert.equal(res.status, 206);
      assert.equal(res.headers['content-range'], `bytes 9000-9999/${IMAGE.length}`);
      assert.ok(res.body.equals(IMAGE.subarray(9000)));
    });

    it('answers 416 with Content-Range bytes */size when the range starts past the end', async () => {
      const res = await rawRequest(server.url('/fw.bin'), { headers: { Range: `bytes=${IMAGE.length}-` } });
      assert.equal(res.status, 416);
      assert.equal(res.headers['content-range'], `bytes */${IMAGE.length}`);
      assert.equal(res.body.length, 0);
    });

    it('answers 200 with the whole file when the Range header is malformed', async () => {
      const res = await rawRequest(server.url('/fw.bin'), { headers: { Range: 'bytes=oops' } });
      assert.equal(res.status, 200);
      assert.ok(res.body.equals(IMAGE));
    });

    it('answers HEAD with the headers only', async () => {
      const res = await rawRequest(server.url('/fw.bin'), { method: 'HEAD' });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-length'], String(IMAGE.length));
      assert.equal(res.body.length, 0);
    });

    it('answers 404 for unknown paths and 405 for other methods', async () => {
      assert.equal((await rawRequest(server.url('/missing.bin'))).status, 404);
      const post = await rawRequest(server.url('/fw.bin'), { method: 'POST', body: 'x' });
      assert.equal(post.status, 405);
      assert.equal(post.headers.allow, 'GET, HEAD');
    });

    it('serves a file from disk, read on each request', async () => {
      const filePath = join(tempDir, 'image.bin');
      await writeFile(filePath, Buffer.from('first'));
      server.serveFile('/disk.bin', filePath);
      assert.equal((await rawRequest(server.url('/disk.bin'))).body.toString(), 'first');
      await writeFile(filePath, Buffer.from('second'));
      const res = await rawRequest(server.url('/disk.bin'), { headers: { Range: 'bytes=1-3' } });
      assert.equal(res.body.toString(), 'eco');
    });
  });

  describe('faults', () => {
    it('truncate@K sends K bytes with honest headers on a 200', async () => {
      server.injectFaults('/fw.bin', 'truncate@1000');
      const res = await rawRequest(server.url('/fw.bin'));
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-length'], '1000');
      assert.ok(res.complete);
      assert.ok(res.body.equals(IMAGE.subarray(0, 1000)));
    });

    it('truncate@K on a 206 shortens the Content-Range but keeps the true total', async () => {
      server.injectFaults('/fw.bin', 'truncate@10');
      const res = await rawRequest(server.url('/fw.bin'), { headers: { Range: 'bytes=500-' } });
      assert.equal(res.status, 206);
      assert.equal(res.headers['content-range'], `bytes 500-509/${IMAGE.length}`);
      assert.ok(res.body.equals(IMAGE.subarray(500, 510)));
    });

    it('close@K delivers exactly K body bytes, then drops the connection', async () => {
      server.injectFaults('/fw.bin', 'close@4321');
      const res = await rawRequest(server.url('/fw.bin'));
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-length'], String(IMAGE.length));
      assert.equal(res.complete, false);
      assert.ok(res.body.equals(IMAGE.subarray(0, 4321)));
      assert.equal(server.requests.at(-1)?.outcome, 'closed-by-fault');
    });

    it('close@0 sends the headers and no body', async () => {
      server.injectFaults('/fw.bin', 'close@0');
      const res = await rawRequest(server.url('/fw.bin'), { headers: { Range: 'bytes=10-' } });
      assert.equal(res.status, 206);
      assert.equal(res.complete, false);
      assert.equal(res.body.length, 0);
    });

    it('flip@K inverts exactly the byte at body offset K', async () => {
      server.injectFaults('/fw.bin', 'flip@7');
      const res = await rawRequest(server.url('/fw.bin'), { headers: { Range: 'bytes=1000-1099' } });
      const expected = Buffer.from(IMAGE.subarray(1000, 1100));
      expected[7] ^= 0xff;
      assert.ok(res.complete);
      assert.ok(res.body.equals(expected));
    });

    it('stall@K:MS pauses the body but delivers it intact', async () => {
      server.injectFaults('/fw.bin', 'stall@5000:300');
      const res = await rawRequest(server.url('/fw.bin'));
      assert.ok(res.elapsedMs >= 280, `took ${res.elapsedMs} ms`);
      assert.ok(res.body.equals(IMAGE));
    });

    it('throttle:BPS slows the body to the given rate', async () => {
      server.injectFaults('/fw.bin', 'throttle:20000');
      const res = await rawRequest(server.url('/fw.bin'), { headers: { Range: 'bytes=0-7999' } });
      // 8000 bytes at 20000 B/s: 400 ms.
      assert.ok(res.elapsedMs >= 370, `took ${res.elapsedMs} ms`);
      assert.ok(res.elapsedMs < 2000, `took ${res.elapsedMs} ms`);
      assert.ok(res.body.equals(IMAGE.subarray(0, 8000)));
    });

    it('delay:MS holds back the status line', async () => {
      server.injectFaults('/fw.bin', 'delay:250');
      const res = await rawRequest(server.url('/fw.bin'));
      assert.ok(res.headersMs >= 230, `headers after ${res.headersMs} ms`);
      assert.equal(res.status, 200);
    });

    it('ignore-range answers 200 with the whole file even when a range was asked', async () => {
      server.injectFaults('/fw.bin', 'ignore-range');
      const res = await rawRequest(server.url('/fw.bin'), { headers: { Range: 'bytes=100-' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-range'], undefined);
      assert.equal(res.headers['accept-ranges'], 'none');
      assert.ok(res.body.equals(IMAGE));
    });

    for (const code of [404, 500]) {
      it(`status:${code} answers ${code} without the content`, async () => {
        server.injectFaults('/fw.bin', `status:${code}`);
        const res = await rawRequest(server.url('/fw.bin'));
        assert.equal(res.status, code);
        assert.match(res.body.toString(), new RegExp(`injected fault: status ${code}`));
      });
    }

    it('combines faults: ignore-range with a drop mid-body', async () => {
      server.injectFaults('/fw.bin', 'ignore-range,close@100');
      const res = await rawRequest(server.url('/fw.bin'), { headers: { Range: 'bytes=5000-' } });
      assert.equal(res.status, 200);
      assert.ok(res.body.equals(IMAGE.subarray(0, 100)));
      assert.equal(res.complete, false);
    });

    it('a times:N rule applies to the next N requests only', async () => {
      server.injectFaults('/fw.bin', 'status:503,times:2');
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await rawRequest(server.url('/fw.bin'))).status);
      assert.deepEqual(statuses, [503, 503, 200]);
    });

    it('a rule without times applies to every request until cleared', async () => {
      server.injectFaults('/fw.bin', 'status:500');
      for (let i = 0; i < 3; i++) assert.equal((await rawRequest(server.url('/fw.bin'))).status, 500);
      server.faults.clear('/fw.bin');
      assert.equal((await rawRequest(server.url('/fw.bin'))).status, 200);
    });

    it('queued rules run in order: two clean answers, then a drop', async () => {
      server.injectFaults('/fw.bin', 'none,times:2');
      server.injectFaults('/fw.bin', 'close@10,times:1');
      const complete = [];
      for (let i = 0; i < 4; i++) complete.push((await rawRequest(server.url('/fw.bin'))).complete);
      assert.deepEqual(complete, [true, true, false, true]);
    });

    it('a "*" rule applies to paths without a rule of their own', async () => {
      server.serveBytes('/other.bin', Buffer.from('other'));
      server.injectFaults('*', 'status:502');
      server.injectFaults('/fw.bin', 'none');
      assert.equal((await rawRequest(server.url('/other.bin'))).status, 502);
      assert.equal((await rawRequest(server.url('/fw.bin'))).status, 200);
    });

    it('rejects a bad spec at injection time', () => {
      assert.throws(() => server.injectFaults('/fw.bin', 'flip@'), FaultSpecError);
    });
  });

  describe('request log', () => {
    it('counts requests per path and records range, faults, status and bytes sent', async () => {
      server.serveBytes('/counted.bin', IMAGE);
      server.injectFaults('/counted.bin', 'close@64,times:1');
      await rawRequest(server.url('/counted.bin'));
      await rawRequest(server.url('/counted.bin'), { headers: { Range: 'bytes=64-' } });
      assert.equal(server.requestCount('/counted.bin'), 2);
      const [first, second] = server.requests.filter((r) => r.path === '/counted.bin');
      assert.deepEqual(
        { status: first.status, bytesSent: first.bytesSent, faults: first.faults, outcome: first.outcome },
        { status: 200, bytesSent: 64, faults: 'close@64,times:1', outcome: 'closed-by-fault' },
      );
      assert.deepEqual(
        { status: second.status, range: second.range, bytesSent: second.bytesSent, outcome: second.outcome },
        { status: 206, range: 'bytes=64-', bytesSent: IMAGE.length - 64, outcome: 'complete' },
      );
    });
  });
});

describe('content server shutdown', () => {
  it('stop() ends a stalled download at once instead of waiting for it', async () => {
    const server = new ContentServer();
    await server.start();
    server.serveBytes('/slow.bin', IMAGE);
    server.injectFaults('/slow.bin', 'stall@10:60000');
    const download = rawRequest(server.url('/slow.bin'));
    while (server.requestCount('/slow.bin') === 0) await new Promise((r) => setTimeout(r, 5));
    const started = performance.now();
    await server.stop();
    const res = await download;
    assert.ok(performance.now() - started < 1000);
    assert.equal(res.complete, false);
  });
});
