// The Murano emulator's HTTP Device API driven by Exosite's own device client, `gdc` from the
// PyPI package murano-client (installed into .venv by npm's postinstall), and by raw requests
// where gdc has no command for what the docs describe.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MuranoEmulator } from '../../firmware-sim/murano/murano-emulator.ts';
import { rawRequest } from './support/raw-http.ts';

const GDC = join(import.meta.dirname, '../../.venv/bin/gdc');
const run = promisify(execFile);

describe('Murano HTTP Device API as gdc (murano-client 21.12.22) sees it', () => {
  const murano = new MuranoEmulator();
  const { product } = murano;
  let host = '';
  let workdir = '';

  before(async () => {
    host = `${(await murano.start()).http}/`;
    workdir = await mkdtemp(join(tmpdir(), 'otau-gdc-'));
  });
  after(async () => {
    await murano.stop();
    await rm(workdir, { recursive: true, force: true });
  });

  /** gdc's printed answer, e.g. "[200] config_otau=…"; its log lines go to stderr. */
  async function gdc(args: string[]): Promise<string> {
    const { stdout } = await run(GDC, ['-H', host, ...args], { cwd: workdir, timeout: 20_000 });
    return stdout.trim();
  }

  async function activated(identity: string): Promise<string> {
    product.addIdentity(identity);
    const token = await gdc(['-u', identity, 'http', 'activate']);
    assert.match(token, /^[0-9a-f]{40}$/, `gdc http activate printed ${token}`);
    return token;
  }

  it('activates with gdc http activate and the token is the device credential', async () => {
    const token = await activated('gdc-activate');
    assert.equal(product.identityOfToken(token), 'gdc-activate');
  });

  it('writes otau_in with gdc http write and reads config_otau with gdc http read', async () => {
    const token = await activated('gdc-rw');
    assert.equal(await gdc(['-k', token, 'http', 'write', 'otau_in', '{"version":"1.0.0","status":"INSTALLED_VERSION","message":""}']), '[204] No content');
    assert.equal(product.statusHistory('gdc-rw')[0].document?.status, 'INSTALLED_VERSION');
    product.cloudWrite('gdc-rw', 'config_otau', '{"version":"2.0.0"}');
    assert.equal(await gdc(['-k', token, 'http', 'read', 'config_otau']), '[200] config_otau={"version":"2.0.0"}');
  });

  it('reads past an alias the product does not define: unknown aliases are not errors', async () => {
    const token = await activated('gdc-unknown');
    product.cloudWrite('gdc-unknown', 'config_otau', '{"version":"3.0.0"}');
    assert.equal(await gdc(['-k', token, 'http', 'read', 'config_otau', 'no_such_alias']), '[200] config_otau={"version":"3.0.0"}');
    assert.equal(await gdc(['-k', token, 'http', 'write', 'no_such_alias', '1']), '[204] No content');
  });

  it('long-polls with If-Modified-Since in unix seconds, as gdc http poll sends it, and 0 means since the epoch', async () => {
    const token = await activated('gdc-poll');
    const written = product.cloudWrite('gdc-poll', 'config_otau', '{"version":"4.0.0"}');
    assert.equal(await gdc(['-k', token, 'http', 'poll', 'config_otau', '5000', '0']), '[200] config_otau={"version":"4.0.0"}');
    const second = String(Math.floor(written.modifiedAt / 1000));
    const waiting = gdc(['-k', token, 'http', 'poll', 'config_otau', '10000', second]);
    setTimeout(() => product.cloudWrite('gdc-poll', 'config_otau', '{"version":"4.0.1"}'), 300);
    assert.equal(await waiting, '[200] config_otau={"version":"4.0.1"}');
  });

  it('does not miss a second write made within the same second as the Last-Modified the device holds', async () => {
    const token = await activated('gdc-same-second');
    product.cloudWrite('gdc-same-second', 'config_otau', '{"version":"5.0.0"}');
    const first = await rawRequest(`${host}onep:v1/stack/alias?config_otau`, { headers: { 'X-Exosite-CIK': token, 'Request-Timeout': '1000', 'If-Modified-Since': '0' } });
    assert.equal(first.status, 200);
    product.cloudWrite('gdc-same-second', 'config_otau', '{"version":"5.0.1"}');
    const lastModified = String(first.headers['last-modified']);
    const second = await rawRequest(`${host}onep:v1/stack/alias?config_otau`, { headers: { 'X-Exosite-CIK': token, 'Request-Timeout': '1000', 'If-Modified-Since': lastModified } });
    assert.equal(second.status, 200, `a long-poll from ${lastModified} answered ${second.status}`);
    assert.equal(new URLSearchParams(second.body.toString()).get('config_otau'), '{"version":"5.0.1"}');
  });

  it('lists, describes and downloads product content with gdc http content', async () => {
    const token = await activated('gdc-content');
    const body = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256));
    product.putContent('firmware_2-0-0.bin', { body, description: 'gateway image' });
    assert.match(await gdc(['-k', token, 'http', 'content', 'list']), /^firmware_2-0-0\.bin$/m);
    assert.match(await gdc(['-k', token, 'http', 'content', 'info', 'firmware_2-0-0.bin']), /^\[200\] application\/octet-stream,5000,\d+,gateway image$/);
    assert.equal(await gdc(['-k', token, 'http', 'content', 'download', 'firmware_2-0-0.bin']), '[200] firmware_2-0-0.bin');
    assert.ok((await readFile(join(workdir, 'firmware_2-0-0.bin'))).equals(body));
  });

  it('records a timestamped value with gdc http record on /onep:v1/stack/record', async () => {
    const token = await activated('gdc-record');
    assert.equal(await gdc(['-k', token, 'http', 'record', '1700000000', 'otau_in', '{"version":"1.0.0","status":"INIT","message":"1.0.0"}']), '[204] No content');
    assert.equal(product.statusHistory('gdc-record')[0].document?.status, 'INIT');
  });

  it('answers a hybrid write/read (POST with ?alias) with the values read', async () => {
    const token = await activated('hybrid');
    product.cloudWrite('hybrid', 'config_otau', '{"version":"6.0.0"}');
    const res = await rawRequest(`${host}onep:v1/stack/alias?config_otau`, {
      method: 'POST',
      headers: { 'X-Exosite-CIK': token, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `otau_in=${encodeURIComponent('{"version":"1.0.0","status":"INIT","message":""}')}`,
    });
    assert.equal(res.status, 200);
    assert.equal(new URLSearchParams(res.body.toString()).get('config_otau'), '{"version":"6.0.0"}');
    assert.equal(product.statusHistory('hybrid').length, 1);
  });

  it('sends Content-Length, not chunked encoding, on answers with a body', async () => {
    const token = await activated('lengths');
    product.cloudWrite('lengths', 'config_otau', '{"version":"7.0.0"}');
    const answers = await Promise.all([
      rawRequest(`${host}onep:v1/stack/alias?config_otau`, { headers: { 'X-Exosite-CIK': token } }),
      rawRequest(`${host}timestamp`),
      rawRequest(`${host}provision/download`, { headers: { 'X-Exosite-CIK': token } }),
      rawRequest(`${host}onep:v1/stack/alias?config_otau`, { headers: { 'X-Exosite-CIK': 'not-a-token' } }),
    ]);
    for (const res of answers) {
      assert.equal(res.headers['transfer-encoding'], undefined, `HTTP ${res.status} is chunked`);
      assert.equal(res.headers['content-length'], String(res.body.length), `HTTP ${res.status}`);
    }
  });
});
