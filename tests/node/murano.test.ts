import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, connectAsync, type MqttClient } from 'mqtt';
import { ManualClock } from '../../firmware-sim/clock.ts';
import { MuranoEmulator } from '../../firmware-sim/murano/murano-emulator.ts';
import { decodeOtauInfo, encodeOtauInfo, type OtauPackageInfo } from '../../firmware-sim/murano/otau-documents.ts';
import { rawRequest, type RawResponse } from './support/raw-http.ts';

const START = Date.UTC(2025, 5, 1, 12, 0, 0);

function packageInfo(version: string): OtauPackageInfo {
  return {
    author: 'Rob Updater',
    vendor: 'Acme',
    product: 'IoT Gateway1',
    config_otau: {
      version,
      name: `Firmware ${version} (spaces & symbols: 100%)`,
      type: 'FILE',
      payload: `http://127.0.0.1:1/fw-${version}.bin`,
      sha256: 'ab'.repeat(32),
    },
  };
}

describe('Murano emulator', () => {
  const clock = new ManualClock(START);
  const murano = new MuranoEmulator({ clock });
  const { product } = murano;
  let http = '';
  let mqttUrl = '';
  const clients: MqttClient[] = [];

  before(async () => {
    ({ http, mqtt: mqttUrl } = await murano.start());
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await murano.stop();
  });

  function activate(identity: string): Promise<RawResponse> {
    return rawRequest(`${http}/provision/activate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `id=${encodeURIComponent(identity)}`,
    });
  }

  async function newDevice(identity: string): Promise<string> {
    product.addIdentity(identity);
    const res = await activate(identity);
    assert.equal(res.status, 200);
    return res.body.toString();
  }

  function writeAlias(token: string, body: string): Promise<RawResponse> {
    return rawRequest(`${http}/onep:v1/stack/alias`, {
      method: 'POST',
      headers: { 'X-Exosite-CIK': token, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
  }

  function readAlias(token: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    return rawRequest(`${http}/onep:v1/stack/alias?config_otau`, { headers: { 'X-Exosite-CIK': token, ...headers } });
  }

  async function connectDevice(token: string): Promise<MqttClient> {
    const client = await connectAsync(mqttUrl, { username: '', password: token, reconnectPeriod: 0 });
    clients.push(client);
    return client;
  }

  function nextMessage(client: MqttClient): Promise<{ topic: string; payload: string }> {
    return new Promise((resolve) => client.once('message', (topic, payload) => resolve({ topic, payload: payload.toString() })));
  }

  async function until(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 2000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  describe('provisioning', () => {
    it('activates an allowed identity once, returning a 40-hex-digit token', async () => {
      product.addIdentity('gw-001');
      const first = await activate('gw-001');
      assert.equal(first.status, 200);
      assert.match(first.body.toString(), /^[0-9a-f]{40}$/);
      assert.equal(product.identityOfToken(first.body.toString()), 'gw-001');
      assert.equal((await activate('gw-001')).status, 409);
    });

    it('answers 404 for an identity the product does not list', async () => {
      assert.equal((await activate('stranger')).status, 404);
    });

    it('answers 400 when the form has no id', async () => {
      const res = await rawRequest(`${http}/provision/activate`, { method: 'POST', body: 'vendor=acme' });
      assert.equal(res.status, 400);
      assert.match(res.body.toString(), /id=<identity>/);
    });

    it('refuses resource calls without a valid X-Exosite-CIK', async () => {
      assert.equal((await rawRequest(`${http}/onep:v1/stack/alias?config_otau`)).status, 401);
      assert.equal((await readAlias('f'.repeat(40))).status, 401);
    });

    it('serves the clock time on /timestamp in unix seconds', async () => {
      const res = await rawRequest(`${http}/timestamp`);
      assert.equal(res.body.toString(), String(Math.floor(clock.now() / 1000)));
    });
  });

  describe('resources over HTTP', () => {
    it('records form-encoded otau_in writes as parsed documents with timestamps', async () => {
      const token = await newDevice('gw-http-1');
      const status = { version: '1.0.0', status: 'INSTALLED_VERSION', message: 'boot ok' };
      const res = await writeAlias(token, `otau_in=${encodeURIComponent(JSON.stringify(status))}`);
      assert.equal(res.status, 204);
      clock.advance(1000);
      await writeAlias(token, `otau_in=${encodeURIComponent('{"version":"1.0.0","status":"BOGUS"}')}`);
      const history = product.statusHistory('gw-http-1');
      assert.equal(history.length, 2);
      assert.deepEqual(history[0].document, status);
      assert.equal(history[0].at, clock.now() - 1000);
      assert.equal(history[1].document, undefined);
      assert.match(history[1].error ?? '', /otau_in.status "BOGUS"/);
    });

    it('skips an unknown alias in a write and stores the known ones (unknown aliases are not errors)', async () => {
      const token = await newDevice('gw-http-2');
      const res = await writeAlias(token, `otau_in=${encodeURIComponent('{"version":"1","status":"INIT"}')}&firmware=2`);
      assert.equal(res.status, 204);
      assert.equal(product.statusHistory('gw-http-2').length, 1);
    });

    it('reads config_otau as 204 before any package, then the applied config form-encoded', async () => {
      const token = await newDevice('gw-http-3');
      assert.equal((await readAlias(token)).status, 204);
      product.publishPackage('package_acme_iotgw1_prod_1-0-1', packageInfo('1.0.1'));
      product.applyPackage('gw-http-3', 'package_acme_iotgw1_prod_1-0-1');
      const res = await readAlias(token);
      assert.equal(res.status, 200);
      const text = res.body.toString();
      assert.match(text, /^config_otau=/);
      const config = JSON.parse(new URLSearchParams(text).get('config_otau') ?? '');
      assert.deepEqual(config, packageInfo('1.0.1').config_otau);
    });
  });

  describe('long-polling', () => {
    it('holds the request until a package is applied, then answers 200 with Last-Modified', async () => {
      const token = await newDevice('gw-poll-1');
      product.publishPackage('package_poll_2-0-0', packageInfo('2.0.0'));
      const poll = readAlias(token, { 'Request-Timeout': '5000' });
      await new Promise((r) => setTimeout(r, 50));
      clock.advance(60_000);
      product.applyPackage('gw-poll-1', 'package_poll_2-0-0');
      const res = await poll;
      assert.equal(res.status, 200);
      assert.equal(res.headers['last-modified'], new Date(clock.now()).toUTCString());
      assert.equal(JSON.parse(new URLSearchParams(res.body.toString()).get('config_otau') ?? '').version, '2.0.0');
      assert.ok(res.elapsedMs >= 40, 'answered before the write');
    });

    it('answers 304 when nothing changes before Request-Timeout', async () => {
      const token = await newDevice('gw-poll-2');
      const res = await readAlias(token, { 'Request-Timeout': '150' });
      assert.equal(res.status, 304);
      assert.ok(res.elapsedMs >= 140, `answered after ${res.elapsedMs} ms`);
    });

    it('answers at once when the value changed after If-Modified-Since', async () => {
      const token = await newDevice('gw-poll-3');
      const before = new Date(clock.now()).toUTCString();
      clock.advance(5000);
      product.cloudWrite('gw-poll-3', 'config_otau', '{"version":"3"}');
      const res = await readAlias(token, { 'Request-Timeout': '10000', 'If-Modified-Since': before });
      assert.equal(res.status, 200);
      assert.ok(res.elapsedMs < 1000);
    });

    it('waits when the value is not newer than If-Modified-Since', async () => {
      const token = await newDevice('gw-poll-4');
      product.cloudWrite('gw-poll-4', 'config_otau', '{"version":"4"}');
      const lastModified = new Date(clock.now()).toUTCString();
      const res = await readAlias(token, { 'Request-Timeout': '100', 'If-Modified-Since': lastModified });
      assert.equal(res.status, 304);
    });

    it('rejects a Request-Timeout above 300000 ms or not a number', async () => {
      const token = await newDevice('gw-poll-5');
      for (const value of ['300001', 'soon']) {
        const res = await readAlias(token, { 'Request-Timeout': value });
        assert.equal(res.status, 400, value);
        assert.match(res.body.toString(), /Request-Timeout/);
      }
    });
  });

  describe('product content', () => {
    const body = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
    let token = '';
    before(async () => {
      token = await newDevice('gw-content');
      product.putContent('firmware_1-0-1.bin', { body, contentType: 'application/octet-stream', description: 'gateway image' });
    });

    function download(query: string, headers: Record<string, string> = {}): Promise<RawResponse> {
      return rawRequest(`${http}/provision/download${query}`, { headers: { 'X-Exosite-CIK': token, ...headers } });
    }

    it('lists content ids one per line', async () => {
      const res = await download('');
      assert.equal(res.status, 200);
      assert.ok(res.body.toString().split('\r\n').includes('firmware_1-0-1.bin'));
    });

    it('describes an item as content-type,size,updated,description', async () => {
      const res = await download('?id=firmware_1-0-1.bin&info=true');
      const updated = Math.floor(product.content('firmware_1-0-1.bin')!.updatedAt / 1000);
      assert.equal(res.body.toString(), `application/octet-stream,3000,${updated},gateway image`);
    });

    it('serves the bytes with Range and 206', async () => {
      const res = await download('?id=firmware_1-0-1.bin', { Range: 'bytes=1000-' });
      assert.equal(res.status, 206);
      assert.equal(res.headers['content-range'], 'bytes 1000-2999/3000');
      assert.ok(res.body.equals(body.subarray(1000)));
    });

    it('applies content faults to downloads', async () => {
      murano.http.contentFaults.add('firmware_1-0-1.bin', 'close@100,times:1');
      const cut = await download('?id=firmware_1-0-1.bin');
      assert.equal(cut.complete, false);
      assert.equal(cut.body.length, 100);
      assert.ok((await download('?id=firmware_1-0-1.bin')).body.equals(body));
    });

    it('answers 404 for unknown content and 401 without a token', async () => {
      assert.equal((await download('?id=nope')).status, 404);
      assert.equal((await rawRequest(`${http}/provision/download`)).status, 401);
    });
  });

  describe('OTAU packages', () => {
    it('stores otau_info as percent-encoded JSON on an empty package_* item', () => {
      const item = product.publishPackage('package_acme_tag_1-0-0', packageInfo('1.0.0'));
      assert.equal(item.body.length, 0);
      assert.equal(item.tags.otau_info, encodeOtauInfo(packageInfo('1.0.0')));
      assert.match(item.tags.otau_info, /^%7B%22author%22%3A%22Rob%20Updater%22/);
      assert.deepEqual(decodeOtauInfo(item.tags.otau_info), packageInfo('1.0.0'));
    });

    it('lists only package_* items', () => {
      product.putContent('not_a_package', { tags: { otau_info: encodeOtauInfo(packageInfo('9.9.9')) } });
      const ids = product.packages().map((p) => p.id);
      assert.ok(ids.includes('package_acme_tag_1-0-0'));
      assert.ok(!ids.includes('not_a_package'));
    });

    it('refuses package ids without the prefix and infos missing required fields', () => {
      assert.throws(() => product.publishPackage('acme_1', packageInfo('1')), /must start with "package_"/);
      const broken = { ...packageInfo('1'), config_otau: { name: 'x', type: 'FILE', payload: '' } } as unknown as OtauPackageInfo;
      assert.throws(() => product.publishPackage('package_broken', broken), /otau_info.config_otau.version must be a string/);
      assert.throws(() => product.applyPackage('gw-001', 'package_missing'), /no OTAU package "package_missing"/);
    });
  });

  describe('waitForStatus', () => {
    it('resolves when a matching status arrives and names what arrived on timeout', async () => {
      const token = await newDevice('gw-wait');
      const report = (version: string, status: string) =>
        writeAlias(token, `otau_in=${encodeURIComponent(JSON.stringify({ version, status }))}`);
      await report('1.0.0', 'INSTALLED_VERSION');
      const mark = product.statusHistory('gw-wait').length;
      const waiting = product.waitForStatus('gw-wait', (s) => s.status === 'INSTALLED_VERSION' && s.version === '2.0.0', 2000, { since: mark });
      await report('2.0.0', 'INIT');
      await report('2.0.0', 'INSTALLED_VERSION');
      assert.deepEqual(await waiting, { version: '2.0.0', status: 'INSTALLED_VERSION' });
      // Already-received entries count unless excluded with `since`.
      assert.equal((await product.waitForStatus('gw-wait', (s) => s.version === '1.0.0', 10)).status, 'INSTALLED_VERSION');
      await assert.rejects(
        product.waitForStatus('gw-wait', (s) => s.status === 'INSTALL_ERROR', 50),
        /timed out after 50 ms .*"gw-wait".*INIT 2\.0\.0; INSTALLED_VERSION 2\.0\.0/,
      );
    });
  });

  describe('MQTT', () => {
    it('refuses a connection whose password is not a device token', async () => {
      await assert.rejects(connectAsync(mqttUrl, { username: '', password: 'wrong', reconnectPeriod: 0 }), /Bad username or password/i);
    });

    it('records otau_in published to $resource/otau_in', async () => {
      const token = await newDevice('gw-mqtt-1');
      const client = await connectDevice(token);
      await client.publishAsync('$resource/otau_in', JSON.stringify({ version: '1.0.0', status: 'INSTALLED_VERSION', message: '' }), { qos: 1 });
      assert.equal((await product.waitForStatus('gw-mqtt-1', (s) => s.status === 'INSTALLED_VERSION', 1000)).version, '1.0.0');
    });

    it('delivers an applied package on $resource/config_otau/<timestamp> and records the echo', async () => {
      const token = await newDevice('gw-mqtt-2');
      const client = await connectDevice(token);
      product.publishPackage('package_mqtt_5-0-0', packageInfo('5.0.0'));
      const message = nextMessage(client);
      product.applyPackage('gw-mqtt-2', 'package_mqtt_5-0-0');
      const { topic, payload } = await message;
      assert.equal(topic, `$resource/config_otau/${clock.now() * 1000}`);
      assert.deepEqual(JSON.parse(payload), packageInfo('5.0.0').config_otau);
      assert.equal(product.isAcknowledged('gw-mqtt-2', 'config_otau'), false);
      await client.publishAsync('$resource/config_otau', payload, { qos: 1 });
      await until(() => product.isAcknowledged('gw-mqtt-2', 'config_otau'), 'the echo');
      assert.equal(product.acknowledgements('gw-mqtt-2').at(-1)?.matchesCurrent, true);
    });

    it('sends unacknowledged writes on connect, and not again once echoed', async () => {
      const token = await newDevice('gw-mqtt-3');
      product.cloudWrite('gw-mqtt-3', 'config_otau', '{"version":"6.0.0"}');
      // connect() returns before CONNACK, so the listener is in place for the sync.
      const first = connect(mqttUrl, { username: '', password: token, reconnectPeriod: 0 });
      clients.push(first);
      const { topic, payload } = await nextMessage(first);
      assert.match(topic, /^\$resource\/config_otau\/\d+$/);
      await first.publishAsync('$resource/config_otau', payload, { qos: 1 });
      await until(() => product.isAcknowledged('gw-mqtt-3', 'config_otau'), 'the echo');
      await first.endAsync();
      const second = connect(mqttUrl, { username: '', password: token, reconnectPeriod: 0 });
      clients.push(second);
      let received = 0;
      second.on('message', () => received++);
      await new Promise<void>((resolve) => second.once('connect', () => resolve()));
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(received, 0);
    });

    it('accepts $resource.batch writes', async () => {
      const token = await newDevice('gw-mqtt-4');
      const client = await connectDevice(token);
      const batch = [
        { timestamp: 1, values: { otau_in: JSON.stringify({ version: '7', status: 'DOWNLOAD' }) } },
        { timestamp: 2, values: { otau_in: JSON.stringify({ version: '7', status: 'DOWNLOAD_SUCCESS' }) } },
      ];
      await client.publishAsync('$resource.batch', JSON.stringify(batch), { qos: 1 });
      await product.waitForStatus('gw-mqtt-4', (s) => s.status === 'DOWNLOAD_SUCCESS', 1000);
      assert.deepEqual(product.statusHistory('gw-mqtt-4').map((e) => e.document?.status), ['DOWNLOAD', 'DOWNLOAD_SUCCESS']);
    });

    it('keeps devices apart: no device sees another device\'s writes or publishes', async () => {
      const tokenA = await newDevice('gw-mqtt-a');
      const tokenB = await newDevice('gw-mqtt-b');
      const a = await connectDevice(tokenA);
      const b = await connectDevice(tokenB);
      await b.subscribeAsync(['$resource/#', '#']);
      const seenByB: string[] = [];
      b.on('message', (topic) => seenByB.push(topic));
      const toA = nextMessage(a);
      await a.publishAsync('$resource/otau_in', JSON.stringify({ version: '1', status: 'INIT' }), { qos: 1 });
      product.cloudWrite('gw-mqtt-a', 'config_otau', '{"version":"8"}');
      await toA;
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(seenByB, []);
    });

    it('disconnects a device that publishes outside its resources', async () => {
      const token = await newDevice('gw-mqtt-5');
      const client = await connectDevice(token);
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.publish('$resource/config_otau/123', 'x', { qos: 1 });
      await closed;
      assert.equal(client.connected, false);
    });
  });
});
