// The Murano emulator's MQTT Device API over TLS (as Murano serves it on 8883) as third-party
// clients see it: Exosite's gdc (`gdc mqtt activate` always uses TLS) and Debian's
// mosquitto_pub/mosquitto_sub, each verifying a CA made for the run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MuranoEmulator } from '../../firmware-sim/murano/murano-emulator.ts';
import { makeTlsCredentials } from '../../firmware-sim/network/tls-credentials.ts';
import { mosquittoSub } from './support/mosquitto-clients.ts';

const run = promisify(execFile);
const GDC = join(import.meta.dirname, '../../.venv/bin/gdc');


describe('Murano MQTT over TLS as gdc and mosquitto clients see it', () => {
  let emulator: MuranoEmulator;
  let workdir = '';
  let caFile = '';
  let tlsPort = '';

  before(async () => {
    const tls = await makeTlsCredentials();
    workdir = await mkdtemp(join(tmpdir(), 'otau-murano-mqtt-'));
    caFile = join(workdir, 'ca.pem');
    await writeFile(caFile, tls.ca);
    emulator = new MuranoEmulator({ mqtt: { tls } });
    const urls = await emulator.start();
    tlsPort = new URL(urls.mqtts ?? '').port;
  });
  after(async () => {
    await emulator.stop();
    await rm(workdir, { recursive: true, force: true });
  });

  const tlsArgs = (): string[] => ['-h', '127.0.0.1', '-p', tlsPort, '--cafile', caFile];

  it('activates over MQTT with gdc mqtt activate: $provision/<identity> answers the token', async () => {
    emulator.product.addIdentity('gdc-mqtt');
    const { stdout } = await run(GDC, ['-H', 'mqtts://127.0.0.1', '-P', tlsPort, '-E', caFile, '-u', 'gdc-mqtt', 'mqtt', 'activate'], { timeout: 20_000 });
    const token = stdout.trim().split('\n').at(-1) ?? '';
    assert.match(token, /^[0-9a-f]{40}$/);
    assert.equal(emulator.product.identityOfToken(token), 'gdc-mqtt');
  });

  it('activates an anonymous mosquitto client subscribed to $provision/<identity>', async () => {
    emulator.product.addIdentity('mosq-provision');
    const reply = mosquittoSub([...tlsArgs(), '-t', '$provision/mosq-provision'], 1);
    await reply.ready;
    await run('mosquitto_pub', [...tlsArgs(), '-t', '$provision/mosq-provision', '-n']);
    const [line] = await reply.messages;
    const token = line.split('|')[1];
    assert.equal(emulator.product.identityOfToken(token), 'mosq-provision');
  });

  it('delivers a cloud write to mosquitto_sub with the token as password and takes otau_in from mosquitto_pub, over TLS', async () => {
    emulator.product.addIdentity('mosq-device');
    const token = emulator.product.activate('mosq-device');
    const auth = ['-u', '', '-P', token];
    const writes = mosquittoSub([...tlsArgs(), ...auth, '-t', '$resource/config_otau/+'], 1);
    await writes.ready;
    const written = emulator.product.cloudWrite('mosq-device', 'config_otau', '{"version":"2.0.0"}');
    assert.deepEqual(await writes.messages, [`$resource/config_otau/${written.modifiedAt * 1000}|{"version":"2.0.0"}`]);
    await run('mosquitto_pub', [...tlsArgs(), ...auth, '-q', '1', '-t', '$resource/otau_in', '-m', '{"version":"2.0.0","status":"INIT","message":"2.0.0"}']);
    await run('mosquitto_pub', [...tlsArgs(), ...auth, '-q', '1', '-t', '$resource/config_otau', '-m', '{"version":"2.0.0"}']);
    assert.equal(emulator.product.statusHistory('mosq-device')[0].document?.status, 'INIT');
    assert.ok(emulator.product.isAcknowledged('mosq-device', 'config_otau'));
  });

  it('refuses a TLS client that does not trust the run\'s CA', async () => {
    await assert.rejects(run('mosquitto_pub', ['-h', '127.0.0.1', '-p', tlsPort, '--capath', '/etc/ssl/certs', '-t', '$provision/x', '-n']));
  });
});
