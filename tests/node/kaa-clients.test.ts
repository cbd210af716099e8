// The Kaa emulator's 1/KP cmx_ota and REST as third-party clients see them: Debian's
// mosquitto_pub/mosquitto_sub (plain and over TLS, verifying a CA made for the run), a
// paho-mqtt device written like Kaa's ESP32 OTA tutorial (tests/kaa_tutorial_device.py),
// and REST with the lower-case "bearer" of Kaa's own examples.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectAsync } from 'mqtt';
import { KaaEmulator } from '../../firmware-sim/kaa/kaa-emulator.ts';
import { makeTlsCredentials, type TlsCredentials } from '../../firmware-sim/network/tls-credentials.ts';
import { mosquittoSub } from './support/mosquitto-clients.ts';
import { rawRequest } from './support/raw-http.ts';

const run = promisify(execFile);
const PYTHON = join(import.meta.dirname, '../../.venv/bin/python');
const TUTORIAL_DEVICE = join(import.meta.dirname, '../kaa_tutorial_device.py');
const TENANT = 'acme';
const APP = 'gw';
const IMAGE = Buffer.from(Array.from({ length: 7000 }, (_, i) => (i * 31) & 0xff));
const IMAGE_SHA256 = createHash('sha256').update(IMAGE).digest('hex');


describe('Kaa 1/KP and REST as third-party clients see them', () => {
  let tls: TlsCredentials;
  let kaa: KaaEmulator;
  let bearer = '';
  let workdir = '';
  let caFile = '';
  let port = '';
  let tlsPort = '';

  before(async () => {
    tls = await makeTlsCredentials();
    workdir = await mkdtemp(join(tmpdir(), 'otau-kaa-clients-'));
    caFile = join(workdir, 'ca.pem');
    await writeFile(caFile, tls.ca);
    kaa = new KaaEmulator({ kp1: { tls } });
    const urls = await kaa.start();
    port = new URL(urls.mqtt).port;
    tlsPort = new URL(urls.mqtts ?? '').port;
    bearer = kaa.platform.addTenant(TENANT);
    kaa.platform.createApplication(TENANT, APP);
  });
  after(async () => {
    await kaa.stop();
    await rm(workdir, { recursive: true, force: true });
  });

  function release(version: string, upgradableFrom: string[]): void {
    kaa.platform.createSoftware(TENANT, APP, { version, upgradableFrom, rolloutStrategy: 'general', specification: { size: IMAGE.length, sha256: IMAGE_SHA256 }, metadata: {} });
    kaa.platform.uploadFile(TENANT, APP, version, IMAGE);
  }

  const broker = (): string[] => ['-h', '127.0.0.1', '-p', port];
  const brokerTls = (): string[] => ['-h', '127.0.0.1', '-p', tlsPort, '--cafile', caFile];

  it('answers a config request from mosquitto_pub with statusCode 200, configId and a presigned link, over TLS verified with the run\'s CA', async () => {
    kaa.platform.registerEndpoint(TENANT, APP, { endpointId: 'ep-tls', token: 'ep-tls' });
    release('1.1.0', ['1.0.0']);
    const base = `kp1/${APP}/cmx_ota/ep-tls`;
    const sub = mosquittoSub([...brokerTls(), '-t', `${base}/config/json/#`], 1, '%t|%l|%p');
    await sub.ready;
    await run('mosquitto_pub', [...brokerTls(), '-t', `${base}/config/json/42`, '-m', '{"configId":"1.0.0","observe":true}']);
    const [line] = await sub.messages;
    const [topic, , payload] = line.split('|');
    assert.equal(topic, `${base}/config/json/42/status`);
    const reply = JSON.parse(payload) as { statusCode: number; configId: string; config: { link: string; sha256: string } };
    assert.equal(reply.statusCode, 200);
    assert.equal(reply.configId, '1.1.0');
    assert.equal(reply.config.sha256, IMAGE_SHA256);
    assert.ok((await rawRequest(reply.config.link)).body.equals(IMAGE));
  });

  it('refuses a TLS client that does not trust the run\'s CA', async () => {
    await assert.rejects(run('mosquitto_pub', ['-h', '127.0.0.1', '-p', tlsPort, '--capath', '/etc/ssl/certs', '-t', 'kp1/x', '-m', '{}']));
  });

  it('answers an applied report with an empty payload', async () => {
    kaa.platform.registerEndpoint(TENANT, APP, { endpointId: 'ep-applied', token: 'ep-applied' });
    const base = `kp1/${APP}/cmx_ota/ep-applied`;
    const sub = mosquittoSub([...broker(), '-t', `${base}/applied/json/#`], 1, '%t|%l|%p');
    await sub.ready;
    await run('mosquitto_pub', [...broker(), '-t', `${base}/applied/json/7`, '-m', '{"configId":"1.0.0"}']);
    assert.deepEqual(await sub.messages, [`${base}/applied/json/7/status|0|`]);
  });

  it('pushes the pending update to an observing endpoint when it subscribes again after a reconnect', async () => {
    kaa.platform.registerEndpoint(TENANT, APP, { endpointId: 'ep-back', token: 'ep-back' });
    const base = `kp1/${APP}/cmx_ota/ep-back`;
    // Observing on 2.0.0 with nothing newer; it goes away, then 2.1.0 is released (the push is lost).
    const first = await connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 });
    first.publish(`${base}/config/json/1`, '{"configId":"2.0.0","observe":true}', { qos: 1 });
    await new Promise((r) => setTimeout(r, 200));
    await first.endAsync();
    release('2.1.0', ['2.0.0']);
    const back = mosquittoSub([...broker(), '-t', `${base}/config/json/#`], 1, '%t|%l|%p');
    const [line] = await back.messages;
    const [topic, , payload] = line.split('|');
    assert.equal(topic, `${base}/config/json/status`);
    assert.equal((JSON.parse(payload) as { configId: string }).configId, '2.1.0');
  });

  it('keeps a client that publishes outside kp1/ (as a broker bridge does) and still answers it', async () => {
    kaa.platform.registerEndpoint(TENANT, APP, { endpointId: 'ep-bridge', token: 'ep-bridge' });
    const base = `kp1/${APP}/cmx_ota/ep-bridge`;
    const client = await connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 });
    try {
      await client.subscribeAsync(`${base}/config/json/#`, { qos: 1 });
      await client.publishAsync('$SYS/broker/connection/bridge-1/state', '1', { qos: 1 });
      const reply = new Promise<string>((resolve) => client.once('message', (topic) => resolve(topic)));
      await client.publishAsync(`${base}/config/json/3`, '{"configId":"9.9.9"}', { qos: 1 });
      assert.equal(await reply, `${base}/config/json/3/status`);
    } finally {
      await client.endAsync();
    }
  });

  it('updates a paho-mqtt device written like Kaa\'s ESP32 OTA tutorial, over TLS', async () => {
    kaa.platform.registerEndpoint(TENANT, APP, { endpointId: 'ep-tutorial', token: 'ep-tutorial' });
    release('3.1.0', ['3.0.0']);
    const { stdout } = await run(PYTHON, [TUTORIAL_DEVICE, '--broker', `mqtts://127.0.0.1:${tlsPort}`, '--cafile', caFile, '--app', APP, '--token', 'ep-tutorial', '--version', '3.0.0'], { timeout: 30_000 });
    const outcome = JSON.parse(stdout) as { installed: string; skipped: string[] };
    assert.equal(outcome.installed, '3.1.0');
    const snapshot = kaa.platform.endpointSnapshot(TENANT, APP, 'ep-tutorial');
    assert.equal(snapshot.currentVersion, '3.1.0');
    assert.deepEqual(snapshot.applied.map((r) => r.configId), ['3.0.0', '3.1.0']);
  });

  it('accepts the REST bearer token with a lower-case "bearer" scheme, as Kaa\'s doc example writes it', async () => {
    const res = await rawRequest(`${kaa.urls.http}/api/v1/applications/${APP}/software`, { headers: { Authorization: `bearer ${bearer}` } });
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(JSON.parse(res.body.toString())));
  });
});
