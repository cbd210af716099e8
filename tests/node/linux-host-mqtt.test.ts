// otau-host's Kaa link over the MQTT a deployment would use: mqtts:// verifying the broker
// with --mqtt-ca (the Kaa emulator's own broker, a CA made for the run), and a real mosquitto
// that asks for --mqtt-username/--mqtt-password, which the Kaa emulator attaches to.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KaaEmulator } from '../../firmware-sim/kaa/kaa-emulator.ts';
import { makeTlsCredentials, type TlsCredentials } from '../../firmware-sim/network/tls-credentials.ts';
import { MosquittoBroker } from './support/mosquitto-broker.ts';
import { AGENT_PATH, hostExit, readSlot, startHost } from './support/otau-host.ts';

const OLD = '1.0.0';
const NEW = '1.1.0';
const RUN_LIMIT_MS = 20_000;

describe('otau-host Kaa link over MQTT TLS and an authenticating broker', () => {
  let dir = '';
  let tls: TlsCredentials;
  let caFile = '';
  let devices = 0;
  const started: Array<{ stop(): Promise<void> }> = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'otau-host-mqtt-'));
    tls = await makeTlsCredentials();
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, tls.ca);
  });
  after(async () => {
    for (const server of started.reverse()) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An endpoint with NEW rolled out to it, and the otau-host arguments for a fresh device. */
  function endpoint(kaa: KaaEmulator, mqttUrl: string): { endpointId: string; app: string; image: Buffer; flash: string; args: string[] } {
    const app = `gateway-${++devices}`;
    const image = randomBytes(24 * 1024);
    kaa.platform.createApplication('acme', app);
    kaa.platform.createSoftware('acme', app, {
      version: NEW, upgradableFrom: [OLD], rolloutStrategy: 'general',
      specification: { size: image.length, sha256: createHash('sha256').update(image).digest('hex') }, metadata: {},
    });
    kaa.platform.uploadFile('acme', app, NEW, image);
    const { endpointId, token } = kaa.platform.registerEndpoint('acme', app);
    const flash = join(dir, `device-${devices}.img`);
    const args = ['run', '--agent', AGENT_PATH, '--flash', flash, '--firmware-version', OLD, '--confirm-after-ms', '200',
      '--exit-when-installed', NEW, '--cloud', 'kaa', '--kaa-mqtt', mqttUrl, '--kaa-app', app, '--kaa-token', token];
    return { endpointId, app, image, flash, args };
  }

  async function updated(kaa: KaaEmulator, device: ReturnType<typeof endpoint>, extra: string[]): Promise<void> {
    const host = startHost([...device.args, ...extra]);
    assert.deepEqual(await hostExit(host, RUN_LIMIT_MS), { code: 0, signal: null }, host.output());
    await kaa.platform.waitForApplied('acme', device.app, device.endpointId, (r) => r.configId === NEW, 5000);
    assert.ok(readSlot(device.flash, 'B', device.image.length).equals(device.image), 'slot B holds the image');
  }

  it('updates over mqtts:// verifying the broker with --mqtt-ca', async () => {
    const kaa = new KaaEmulator({ kp1: { tls } });
    await kaa.start();
    started.push(kaa);
    kaa.platform.addTenant('acme');
    await updated(kaa, endpoint(kaa, kaa.urls.mqtts ?? ''), ['--mqtt-ca', caFile]);
  });

  it('does not connect to an mqtts:// broker whose certificate the system CAs do not vouch for', async () => {
    const kaa = new KaaEmulator({ kp1: { tls } });
    await kaa.start();
    started.push(kaa);
    kaa.platform.addTenant('acme');
    const device = endpoint(kaa, kaa.urls.mqtts ?? '');
    const host = startHost([...device.args]);
    // The refusal is logged once the TLS handshake fails; under load that can take seconds.
    const refused = /kaa: (cannot connect|connection lost)/;
    for (const deadline = Date.now() + 20_000; !refused.test(host.output()) && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    host.child.kill('SIGTERM');
    await hostExit(host, 5000);
    assert.match(host.output(), refused, host.output());
    assert.deepEqual(kaa.platform.endpointSnapshot('acme', device.app, device.endpointId).applied, [], 'nothing reached the emulator');
  });

  it('updates through a mosquitto that asks for a user name and password (--mqtt-username, --mqtt-password)', async () => {
    const mosquitto = await MosquittoBroker.start({ device: 'device-secret', emulator: 'emulator-secret' });
    started.push(mosquitto);
    const kaa = new KaaEmulator({ kp1: { broker: { url: mosquitto.url, username: 'emulator', password: 'emulator-secret' } } });
    await kaa.start();
    started.push(kaa);
    kaa.platform.addTenant('acme');
    await updated(kaa, endpoint(kaa, mosquitto.url), ['--mqtt-username', 'device', '--mqtt-password', 'device-secret']);
  });

  it('refuses --mqtt-ca with a plain mqtt:// URL: one line, exit 2', async () => {
    const host = startHost(['run', '--agent', AGENT_PATH, '--flash', join(dir, 'unused.img'), '--cloud', 'kaa', '--kaa-mqtt', 'mqtt://127.0.0.1:1', '--kaa-app', 'a', '--kaa-token', 't', '--mqtt-ca', caFile]);
    const exit = await hostExit(host, 5000);
    assert.equal(exit.code, 2, host.output());
    assert.match(host.output(), /--mqtt-ca needs an mqtts:\/\/ broker URL/);
  });
});
