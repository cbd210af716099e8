import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { ManualClock } from '../../firmware-sim/clock.ts';
import { KaaEmulator } from '../../firmware-sim/kaa/kaa-emulator.ts';
import { KaaPlatform } from '../../firmware-sim/kaa/platform.ts';
import { compareSemver } from '../../firmware-sim/kaa/semver.ts';
import { parseSoftware, SoftwareValidationError } from '../../firmware-sim/kaa/software.ts';
import { withValueAt, parseSpecPath } from '../../firmware-sim/kaa/spec-path.ts';
import { rawRequest, type RawResponse } from './support/raw-http.ts';

const DAY_MS = 86_400_000;
const IMAGE = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 13) & 0xff));
const IMAGE_SHA256 = createHash('sha256').update(IMAGE).digest('hex');

function software(version: string, upgradableFrom: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version,
    upgradableFrom,
    rolloutStrategy: 'general',
    specification: { size: IMAGE.length, sha256: IMAGE_SHA256 },
    metadata: { notes: `release ${version}` },
    ...extra,
  };
}

interface Kp1Answer {
  kind: 'status' | 'error';
  /** The JSON reply; null for an empty payload (1/KP's reply to a report). */
  body: Record<string, unknown>;
}

/** A 1/KP endpoint on MQTT: requests with ids and replies, plus the observe pushes it got. */
class Kp1Endpoint {
  readonly pushes: Array<Record<string, unknown>> = [];
  private nextRequestId = 1;
  private readonly waiting = new Map<string, (answer: Kp1Answer) => void>();

  private constructor(
    readonly client: MqttClient,
    readonly base: string,
  ) {
    client.on('message', (topic, payload) => {
      const body = (payload.length === 0 ? null : JSON.parse(payload.toString())) as Record<string, unknown>;
      if (topic === `${base}/config/json/status`) {
        this.pushes.push(body);
        return;
      }
      const match = /^(.*)\/(status|error)$/.exec(topic);
      const resolve = match && this.waiting.get(match[1]);
      if (match && resolve) resolve({ kind: match[2] as 'status' | 'error', body });
    });
  }

  static async connect(url: string, app: string, token: string): Promise<Kp1Endpoint> {
    const client = await connectAsync(url, { reconnectPeriod: 0 });
    const base = `kp1/${app}/cmx_ota/${token}`;
    await client.subscribeAsync(`${base}/#`, { qos: 1 });
    return new Kp1Endpoint(client, base);
  }

  request(path: string, payload: unknown): Promise<Kp1Answer> {
    const topic = `${this.base}/${path}/${this.nextRequestId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply on ${topic}`)), 2000);
      this.waiting.set(topic, (answer) => {
        clearTimeout(timer);
        this.waiting.delete(topic);
        resolve(answer);
      });
      this.client.publish(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1 });
    });
  }

  askConfig(configId: string | undefined, observe = false): Promise<Kp1Answer> {
    return this.request('config/json', configId === undefined ? { observe } : { configId, observe });
  }

  async nextPush(timeoutMs = 1000): Promise<Record<string, unknown>> {
    const count = this.pushes.length;
    const deadline = Date.now() + timeoutMs;
    while (this.pushes.length === count) {
      if (Date.now() > deadline) throw new Error('no observe push arrived');
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.pushes[count];
  }
}

describe('Kaa building blocks', () => {
  it('orders semantic versions, pre-releases below releases', () => {
    const sorted = ['1.10.0', '1.2.0', '1.2.0-rc.1', '1.2.0-beta.11', '1.2.0-beta.2', '0.9.9'].sort(compareSemver);
    assert.deepEqual(sorted, ['0.9.9', '1.2.0-beta.2', '1.2.0-beta.11', '1.2.0-rc.1', '1.2.0', '1.10.0']);
  });

  it('validates software and names the bad field', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [software('1.0', []), /version must be a semantic version/],
      [software('1.0.0', ['one']), /upgradableFrom\[0\]/],
      [software('1.0.0', [], { rolloutStrategy: 'everyone' }), /rolloutStrategy must be one of suspended, general, targeted/],
      [software('1.0.0', [], { rolloutStrategy: 'targeted' }), /targeted rollout needs at least one filter/],
      [software('1.0.0', [], { filters: [{ filterId: 'f', rolloutDate: 'tomorrow' }] }), /filters\[0\].rolloutDate must be an ISO 8601 date/],
      [software('1.0.0', [], { specification: ['x'] }), /specification must be a JSON object/],
      [software('1.0.0', [], { consentRequired: 'yes' }), /consentRequired must be true or false/],
      [software('1.0.0', [], { upgradeableFrom: [] }), /unknown field "upgradeableFrom"/],
    ];
    for (const [body, message] of cases) assert.throws(() => parseSoftware(body), (e: unknown) => e instanceof SoftwareValidationError && message.test(e.message));
    assert.throws(() => parseSoftware(software('2.0.0', []), '1.0.0'), /differs from "1.0.0" in the path/);
  });

  it('puts the link at a nested path without touching the original specification', () => {
    const spec = { ota: { size: 1 } };
    assert.deepEqual(withValueAt(spec, parseSpecPath('$.ota.image.link'), 'u'), { ota: { size: 1, image: { link: 'u' } } });
    assert.deepEqual(spec, { ota: { size: 1 } });
    assert.throws(() => withValueAt({ ota: 3 }, parseSpecPath('ota.link'), 'u'), /"ota" is not an object/);
    assert.throws(() => parseSpecPath('ota..link'), /dotted field names/);
  });

  it('inserts the presigned link at the configured path', () => {
    const platform = new KaaPlatform({ clock: new ManualClock(), linkPath: '$.image.url' });
    platform.setDownloadBaseUrl('http://127.0.0.1:9');
    platform.addTenant('t');
    platform.createApplication('t', 'app');
    platform.createSoftware('t', 'app', software('1.1.0', ['1.0.0']));
    platform.uploadFile('t', 'app', '1.1.0', IMAGE);
    const { token } = platform.registerEndpoint('t', 'app');
    const reply = platform.requestConfig('app', token, { configId: '1.0.0' }) as unknown as { config: { image: { url: string } } };
    assert.match(reply.config.image.url, /^http:\/\/127\.0\.0\.1:9\/files\/t\/app\/1\.1\.0\/firmware\.bin\?expires=\d+&signature=[0-9a-f]{64}$/);
  });
});

describe('Kaa emulator', () => {
  const clock = new ManualClock(Date.UTC(2025, 5, 1));
  const kaa = new KaaEmulator({ clock, presignTtlSeconds: 600 });
  const { platform } = kaa;
  const endpoints: Kp1Endpoint[] = [];
  let http = '';
  let mqttUrl = '';
  let acme = '';
  let globex = '';
  let appCounter = 0;

  before(async () => {
    ({ http, mqtt: mqttUrl } = await kaa.start());
    acme = platform.addTenant('acme');
    globex = platform.addTenant('globex');
    platform.createApplication('globex', 'globex-app');
  });
  after(async () => {
    await Promise.all(endpoints.map((e) => e.client.endAsync(true)));
    await kaa.stop();
  });

  /** A fresh acme application per test keeps tests independent. */
  function newApp(options: { consentRequired?: boolean } = {}): string {
    const app = `acme-app-${++appCounter}`;
    platform.createApplication('acme', app, options);
    return app;
  }

  function rest(method: string, path: string, options: { token?: string; json?: unknown; body?: Buffer } = {}): Promise<RawResponse> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
    if (options.json !== undefined) headers['Content-Type'] = 'application/json';
    const body = options.json !== undefined ? JSON.stringify(options.json) : options.body;
    return rawRequest(`${http}${path}`, { method, headers, body });
  }

  async function endpoint(app: string, filterIds: string[] = []): Promise<{ id: string; kp: Kp1Endpoint }> {
    const { endpointId, token } = platform.registerEndpoint('acme', app, { filterIds });
    const kp = await Kp1Endpoint.connect(mqttUrl, app, token);
    endpoints.push(kp);
    return { id: endpointId, kp };
  }

  function json(res: RawResponse): any {
    return JSON.parse(res.body.toString());
  }

  describe('REST', () => {
    it('refuses requests without a known bearer token', async () => {
      const app = newApp();
      assert.equal((await rest('GET', `/api/v1/applications/${app}/software`)).status, 401);
      const res = await rest('GET', `/api/v1/applications/${app}/software`, { token: 'nope' });
      assert.equal(res.status, 401);
      assert.match(json(res).error, /bearer token is not known/);
    });

    it('creates, lists in version order, updates and deletes software', async () => {
      const app = newApp();
      const base = `/api/v1/applications/${app}/software`;
      assert.equal((await rest('POST', base, { token: acme, json: software('1.2.0', ['1.1.0']) })).status, 201);
      assert.equal((await rest('POST', base, { token: acme, json: software('1.1.0', ['1.0.0']) })).status, 201);
      assert.equal((await rest('POST', base, { token: acme, json: software('1.1.0', []) })).status, 409);
      assert.deepEqual(json(await rest('GET', base, { token: acme })).map((s: { version: string }) => s.version), ['1.1.0', '1.2.0']);

      const updated = await rest('PUT', `${base}/1.2.0`, { token: acme, json: { ...software('1.2.0', ['1.1.0', '1.0.0']), version: undefined } });
      assert.equal(updated.status, 200);
      assert.deepEqual(json(updated).upgradableFrom, ['1.1.0', '1.0.0']);
      assert.equal((await rest('PUT', `${base}/9.9.9`, { token: acme, json: software('9.9.9', []) })).status, 404);

      assert.equal((await rest('DELETE', `${base}/1.1.0`, { token: acme })).status, 204);
      assert.deepEqual(json(await rest('GET', base, { token: acme })).map((s: { version: string }) => s.version), ['1.2.0']);
    });

    it('answers 400 naming the problem for invalid software and non-JSON bodies', async () => {
      const base = `/api/v1/applications/${newApp()}/software`;
      const bad = await rest('POST', base, { token: acme, json: software('1.0.0', [], { rolloutStrategy: 'targeted' }) });
      assert.equal(bad.status, 400);
      assert.match(json(bad).error, /targeted rollout needs at least one filter/);
      const notJson = await rest('POST', base, { token: acme, body: Buffer.from('{version') });
      assert.equal(notJson.status, 400);
      assert.match(json(notJson).error, /not JSON/);
    });

    it('stores an uploaded file under tenant/application/version and removes it with the version', async () => {
      const app = newApp();
      const base = `/api/v1/applications/${app}/software`;
      await rest('POST', base, { token: acme, json: software('2.0.0', ['1.0.0']) });
      const upload = await rest('PUT', `${base}/2.0.0/file?name=sensor.bin`, { token: acme, body: IMAGE });
      assert.equal(upload.status, 200);
      assert.deepEqual(json(upload), { key: `acme/${app}/2.0.0/sensor.bin`, size: IMAGE.length, sha256: IMAGE_SHA256 });
      assert.ok(platform.storedFileKeys().includes(`acme/${app}/2.0.0/sensor.bin`));
      await rest('DELETE', `${base}/2.0.0`, { token: acme });
      assert.ok(!platform.storedFileKeys().includes(`acme/${app}/2.0.0/sensor.bin`));
    });

    it('keeps tenants apart: another tenant\'s application looks missing', async () => {
      const app = newApp();
      const base = `/api/v1/applications/${app}/software`;
      await rest('POST', base, { token: acme, json: software('1.0.0', []) });
      assert.equal((await rest('GET', base, { token: globex })).status, 404);
      assert.equal((await rest('POST', base, { token: globex, json: software('1.0.1', ['1.0.0']) })).status, 404);
      assert.equal((await rest('PUT', `${base}/1.0.0/file`, { token: globex, body: IMAGE })).status, 404);
      assert.equal((await rest('DELETE', `${base}/1.0.0`, { token: globex })).status, 404);
      const { endpointId } = platform.registerEndpoint('acme', app);
      assert.equal((await rest('PUT', `/api/v1/applications/${app}/endpoints/${endpointId}/consents/1.0.0`, { token: globex })).status, 404);
      assert.equal((await rest('GET', '/api/v1/applications/globex-app/software', { token: acme })).status, 404);
      assert.equal(json(await rest('GET', base, { token: acme })).length, 1);
    });
  });

  describe('1/KP cmx_ota', () => {
    it('answers {} when the endpoint is up to date', async () => {
      const app = newApp();
      platform.createSoftware('acme', app, software('1.0.0', []));
      const { kp } = await endpoint(app);
      assert.deepEqual(await kp.askConfig('1.0.0'), { kind: 'status', body: {} });
    });

    it('delivers a general rollout with the specification and a working presigned link', async () => {
      const app = newApp();
      platform.createSoftware('acme', app, software('1.1.0', ['1.0.0']));
      platform.uploadFile('acme', app, '1.1.0', IMAGE);
      const { kp } = await endpoint(app);
      const answer = await kp.askConfig('1.0.0');
      assert.equal(answer.kind, 'status');
      assert.equal(answer.body.configId, '1.1.0');
      const config = answer.body.config as { link: string; size: number; sha256: string };
      assert.equal(config.size, IMAGE.length);
      assert.equal(config.sha256, IMAGE_SHA256);
      assert.ok(config.link.startsWith(`${http}/files/acme/${app}/1.1.0/firmware.bin?`));
      const whole = await rawRequest(config.link);
      assert.equal(whole.status, 200);
      assert.ok(whole.body.equals(IMAGE));
      const tail = await rawRequest(config.link, { headers: { Range: 'bytes=4000-' } });
      assert.equal(tail.status, 206);
      assert.ok(tail.body.equals(IMAGE.subarray(4000)));
    });

    it('follows the upgrade graph one edge at a time, choosing the highest version', async () => {
      const app = newApp();
      platform.createSoftware('acme', app, software('1.0.0', []));
      platform.createSoftware('acme', app, software('1.1.0', ['1.0.0']));
      platform.createSoftware('acme', app, software('1.1.1', ['1.0.0']));
      platform.createSoftware('acme', app, software('1.2.0', ['1.1.1']));
      const { id, kp } = await endpoint(app);
      assert.equal((await kp.askConfig(undefined)).body.configId, '1.0.0', 'a fresh endpoint gets the initial software');
      assert.equal((await kp.askConfig('1.0.0', true)).body.configId, '1.1.1');
      assert.deepEqual((await kp.askConfig('0.9.0')).body, {}, 'a version off the graph gets nothing');
      // Observing from 1.0.0; once 1.1.1 is applied, 1.2.0 becomes applicable and is pushed.
      await kp.askConfig('1.0.0', true);
      const push = kp.nextPush();
      assert.deepEqual(await kp.request('applied/json', { configId: '1.1.1' }), { kind: 'status', body: null });
      assert.equal((await push).configId, '1.2.0');
      assert.equal(platform.endpointSnapshot('acme', app, id).currentVersion, '1.1.1');
    });

    it('delivers nothing for a suspended rollout', async () => {
      const app = newApp();
      platform.createSoftware('acme', app, software('1.1.0', ['1.0.0'], { rolloutStrategy: 'suspended' }));
      const { kp } = await endpoint(app);
      assert.deepEqual((await kp.askConfig('1.0.0')).body, {});
    });

    it('targets by filter and rollout date, pushing when the date passes on the injected clock', async () => {
      const app = newApp();
      const rolloutDate = new Date(clock.now() + DAY_MS).toISOString();
      platform.createSoftware('acme', app, software('1.1.0', ['1.0.0'], { rolloutStrategy: 'targeted', filters: [{ filterId: 'beta', rolloutDate }] }));
      const beta = await endpoint(app, ['beta']);
      const other = await endpoint(app, ['stable']);
      assert.deepEqual((await beta.kp.askConfig('1.0.0', true)).body, {}, 'before the rollout date');
      assert.deepEqual((await other.kp.askConfig('1.0.0', true)).body, {});
      const push = beta.kp.nextPush();
      clock.advance(DAY_MS);
      assert.equal((await push).configId, '1.1.0');
      assert.deepEqual((await other.kp.askConfig('1.0.0', true)).body, {}, 'outside the filter after the date');
      const joined = other.kp.nextPush();
      platform.setEndpointFilters('acme', app, other.id, ['stable', 'beta']);
      assert.equal((await joined).configId, '1.1.0');
    });

    it('holds an update needing consent until consent is granted over REST', async () => {
      const app = newApp({ consentRequired: true });
      platform.createSoftware('acme', app, software('1.1.0', ['1.0.0']));
      const consenting = await endpoint(app);
      const other = await endpoint(app);
      assert.deepEqual((await consenting.kp.askConfig('1.0.0', true)).body, {});
      const push = consenting.kp.nextPush();
      const grant = await rest('PUT', `/api/v1/applications/${app}/endpoints/${consenting.id}/consents/1.1.0`, { token: acme });
      assert.equal(grant.status, 204);
      assert.equal((await push).configId, '1.1.0');
      assert.deepEqual((await other.kp.askConfig('1.0.0')).body, {}, 'consent is per endpoint');
      assert.equal((await rest('PUT', `/api/v1/applications/${app}/endpoints/${consenting.id}/consents/7.7.7`, { token: acme })).status, 404);
    });

    it('lets a version waive or demand consent regardless of the application flag', async () => {
      const app = newApp({ consentRequired: true });
      platform.createSoftware('acme', app, software('1.1.0', ['1.0.0'], { consentRequired: false }));
      platform.createSoftware('acme', app, software('1.0.1', ['1.0.0'], { consentRequired: true }));
      const { id, kp } = await endpoint(app);
      assert.equal((await kp.askConfig('1.0.0')).body.configId, '1.1.0');
      platform.deleteSoftware('acme', app, '1.1.0');
      assert.deepEqual((await kp.askConfig('1.0.0')).body, {});
      platform.grantConsent('acme', app, id, '1.0.1');
      assert.equal((await kp.askConfig('1.0.0')).body.configId, '1.0.1');
    });

    it('records applied reports, successes and rejections, and does not push a rejected version again', async () => {
      const app = newApp();
      platform.createSoftware('acme', app, software('1.1.0', ['1.0.0']));
      const { id, kp } = await endpoint(app);
      await kp.askConfig('1.0.0', true);
      await kp.request('applied/json', { configId: '1.1.0', statusCode: 409, reasonPhrase: 'sha256 mismatch' });
      const rejected = await platform.waitForApplied('acme', app, id, (r) => !r.success, 1000);
      assert.deepEqual({ ...rejected, at: 0 }, { at: 0, configId: '1.1.0', success: false, statusCode: 409, reasonPhrase: 'sha256 mismatch' });
      assert.equal(platform.endpointSnapshot('acme', app, id).currentVersion, '1.0.0');
      platform.updateSoftware('acme', app, '1.1.0', { ...software('1.1.0', ['1.0.0']), metadata: { touched: true } });
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(kp.pushes.length, 0);
      await kp.request('applied/json', { configId: '1.0.0' });
      assert.equal((await platform.waitForApplied('acme', app, id, (r) => r.success, 1000)).configId, '1.0.0');
    });

    it('answers protocol errors on the error topic with statusCode and reasonPhrase', async () => {
      const app = newApp();
      const { kp } = await endpoint(app);
      const cases: Array<[string, unknown, number, RegExp]> = [
        ['config/json', '{not json', 400, /not JSON/],
        ['config/json', { observe: 'yes' }, 400, /observe must be a boolean/],
        ['applied/json', { statusCode: 500 }, 400, /configId is required/],
        ['firmware/json', {}, 404, /unknown resource path "firmware\/json"/],
      ];
      for (const [path, payload, statusCode, reason] of cases) {
        const answer = await kp.request(path, payload);
        assert.equal(answer.kind, 'error', path);
        assert.equal(answer.body.statusCode, statusCode);
        assert.match(String(answer.body.reasonPhrase), reason);
      }
      const stranger = await Kp1Endpoint.connect(mqttUrl, app, 'unregistered-token');
      endpoints.push(stranger);
      const answer = await stranger.askConfig('1.0.0');
      assert.equal(answer.kind, 'error');
      assert.equal(answer.body.statusCode, 401);
    });

    it('forgets an unregistered endpoint: its data and its token', async () => {
      const app = newApp({ consentRequired: true });
      platform.createSoftware('acme', app, software('1.1.0', ['1.0.0']));
      const { endpointId, token } = platform.registerEndpoint('acme', app, { token: 'reused-token' });
      platform.grantConsent('acme', app, endpointId, '1.1.0');
      const kp = await Kp1Endpoint.connect(mqttUrl, app, token);
      endpoints.push(kp);
      await kp.request('applied/json', { configId: '1.0.0' });
      platform.unregisterEndpoint('acme', app, endpointId);
      assert.throws(() => platform.endpointSnapshot('acme', app, endpointId), /not found/);
      assert.equal((await kp.askConfig('1.0.0')).body.statusCode, 401);
      // Registering again with the same token starts from nothing: no consent, no history.
      const again = platform.registerEndpoint('acme', app, { token });
      assert.deepEqual((await kp.askConfig('1.0.0')).body, {});
      assert.deepEqual(platform.endpointSnapshot('acme', app, again.endpointId).applied, []);
    });

    it('does not let a client subscribe across endpoints or publish server topics', async () => {
      const app = newApp();
      platform.createSoftware('acme', app, software('1.1.0', ['1.0.0']));
      const { kp } = await endpoint(app);
      const spy = await connectAsync(mqttUrl, { reconnectPeriod: 0 });
      try {
        // The broker grants 128 (failure), which the client reports as a subscribe error.
        await assert.rejects(spy.subscribeAsync('kp1/#'), /Subscribe error/);
        await assert.rejects(spy.subscribeAsync(`kp1/${app}/cmx_ota/+/#`), /Subscribe error/);
        let seen = 0;
        spy.on('message', () => seen++);
        await kp.askConfig('1.0.0');
        assert.equal(seen, 0);
        const closed = new Promise<void>((resolve) => spy.once('close', () => resolve()));
        spy.publish(`${kp.base}/config/json/status`, '{}', { qos: 1 });
        await closed;
      } finally {
        await spy.endAsync(true);
      }
    });
  });

  describe('presigned downloads', () => {
    let link = '';
    before(async () => {
      const app = newApp();
      platform.createSoftware('acme', app, software('3.0.0', ['2.0.0']));
      platform.createSoftware('acme', app, software('3.0.1', ['2.0.0'], { rolloutStrategy: 'suspended' }));
      platform.uploadFile('acme', app, '3.0.0', IMAGE);
      platform.uploadFile('acme', app, '3.0.1', IMAGE);
      const { kp } = await endpoint(app);
      link = ((await kp.askConfig('2.0.0')).body.config as { link: string }).link;
    });

    it('refuses a link whose signature was altered', async () => {
      const url = new URL(link);
      const signature = url.searchParams.get('signature') ?? '';
      url.searchParams.set('signature', (signature[0] === '0' ? '1' : '0') + signature.slice(1));
      const res = await rawRequest(url.toString());
      assert.equal(res.status, 403);
      assert.match(res.body.toString(), /signature does not match/);
    });

    it('refuses a link pointed at another file or given a later expiry', async () => {
      const otherFile = link.replace('/3.0.0/', '/3.0.1/');
      assert.equal((await rawRequest(otherFile)).status, 403);
      const url = new URL(link);
      url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
      assert.equal((await rawRequest(url.toString())).status, 403);
      assert.equal((await rawRequest(link.split('?')[0])).status, 403);
    });

    it('serves the link until it expires on the injected clock, then refuses it', async () => {
      assert.equal((await rawRequest(link)).status, 200);
      clock.advance(601_000);
      const res = await rawRequest(link);
      assert.equal(res.status, 403);
      assert.match(res.body.toString(), /expired/);
    });

    it('applies download faults by stored file key', async () => {
      const app = newApp();
      platform.createSoftware('acme', app, software('4.0.0', ['3.0.0']));
      const file = platform.uploadFile('acme', app, '4.0.0', IMAGE);
      const { kp } = await endpoint(app);
      const fresh = ((await kp.askConfig('3.0.0')).body.config as { link: string }).link;
      kaa.http.downloadFaults.add(file.key, 'flip@10,times:1');
      const corrupted = await rawRequest(fresh);
      assert.equal(corrupted.body[10], IMAGE[10] ^ 0xff);
      assert.ok((await rawRequest(fresh)).body.equals(IMAGE));
    });
  });
});
