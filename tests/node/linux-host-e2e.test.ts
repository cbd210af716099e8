// otau-host run (build/agent.wasm under wasm3, libcurl, libmosquitto) against firmware-sim's
// emulators on loopback: complete updates over Murano and Kaa, a kill -9 in mid-download
// recovered with a Range request, and an update under valgrind.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KaaEmulator } from '../../firmware-sim/kaa/kaa-emulator.ts';
import { MuranoEmulator } from '../../firmware-sim/murano/murano-emulator.ts';
import { ContentServer } from '../../firmware-sim/network/content-server.ts';
import { AGENT_PATH, hostExit, readSlot, startHost } from './support/otau-host.ts';
import {
  KAA_APPLIED, KAA_STATUS, downloadProgress, muranoStatuses, readHostTrace, statusSequence, traceDocuments, traceStatuses,
  type StatusReport,
} from './support/otau-trace.ts';

const OLD = '1.0.0';
const NEW = '1.1.0';
const RUN_LIMIT_MS = 20_000;
const VALGRIND_LIMIT_MS = 60_000;
const TRAPPING_AGENT_WAT = fileURLToPath(new URL('./fixtures/trapping-agent.wat', import.meta.url));

/** A complete update from boot to confirmation, progress reports folded (statusSequence). */
const UPDATE_SEQUENCE = [
  'INSTALLED_VERSION', // boot of the factory image
  'INIT', 'TEST', 'TEST_STEP', 'TEST_STEP', 'TEST_STEP', 'TEST_SUCCESS',
  'DOWNLOAD', 'DOWNLOAD_STEP', 'DOWNLOAD_SUCCESS',
  'INSTALL', 'INSTALL_STEP', // "marked for a trial boot; resetting"
  'INSTALL_STEP', // after the reset: "running version … on trial"
  'INSTALL_SUCCESS', 'INSTALLED_VERSION',
];

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every report names the old version at boot and the new one from INIT on. */
function assertVersions(reports: readonly StatusReport[]): void {
  assert.equal(reports[0].version, OLD);
  assert.ok(reports.slice(1).every((r) => r.version === NEW), `versions: ${reports.map((r) => r.version).join(' ')}`);
}

/** Progress only moves forward and ends with the whole image. */
function assertProgress(reports: readonly StatusReport[], size: number): void {
  const progress = downloadProgress(reports);
  assert.ok(progress.length >= 2, `progress reports: ${progress.join(', ')}`);
  assert.ok(progress.every((bytes, i) => i === 0 || bytes > progress[i - 1]), `progress: ${progress.join(', ')}`);
  assert.equal(progress.at(-1), size);
}

describe('otau-host run against the emulated clouds', () => {
  const murano = new MuranoEmulator();
  const kaa = new KaaEmulator();
  const content = new ContentServer();
  let muranoUrl = '';
  let kaaMqttUrl = '';
  let dir = '';
  let devices = 0;

  before(async () => {
    ({ http: muranoUrl } = await murano.start());
    ({ mqtt: kaaMqttUrl } = await kaa.start());
    await content.start();
    kaa.platform.addTenant('acme');
    dir = mkdtempSync(join(tmpdir(), 'linux-host-e2e-'));
  });
  after(async () => {
    await Promise.all([murano.stop(), kaa.stop(), content.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** A device with its own flash and trace files, and the options every run shares. */
  function newDevice(): { flash: string; trace: string; common: string[] } {
    const name = `device-${++devices}`;
    const flash = join(dir, `${name}.img`);
    const trace = join(dir, `${name}.trace`);
    const common = ['--agent', AGENT_PATH, '--flash', flash, '--firmware-version', OLD, '--confirm-after-ms', '200',
      '--exit-when-installed', NEW, '--trace', trace];
    return { flash, trace, common };
  }

  /** A Murano device with NEW of `size` bytes published on the content server and applied to it. */
  function muranoUpdate(size: number): { identity: string; image: Buffer; path: string; args: string[]; flash: string; trace: string } {
    const device = newDevice();
    const identity = `gw-${devices}`;
    const image = randomBytes(size);
    const path = `/${identity}/firmware-${NEW}.bin`;
    content.serveBytes(path, image);
    murano.product.addIdentity(identity);
    murano.product.publishPackage(`package_${identity}`, {
      author: 'e2e', vendor: 'Acme', product: 'Gateway',
      config_otau: { version: NEW, name: `firmware ${NEW}`, type: 'FILE', payload: content.url(path), sha256: sha256(image), size },
    });
    murano.product.applyPackage(identity, `package_${identity}`);
    const args = ['run', ...device.common, '--murano', muranoUrl, '--identity', identity];
    return { identity, image, path, args, flash: device.flash, trace: device.trace };
  }

  /** A Kaa endpoint in its own application, with NEW of `size` bytes rolled out to it. */
  function kaaUpdate(size: number): { app: string; endpointId: string; image: Buffer; args: string[]; flash: string; trace: string } {
    const device = newDevice();
    const app = `gateway-app-${devices}`;
    const image = randomBytes(size);
    kaa.platform.createApplication('acme', app);
    kaa.platform.createSoftware('acme', app, {
      version: NEW, upgradableFrom: [OLD], rolloutStrategy: 'general', specification: { size, sha256: sha256(image) }, metadata: {},
    });
    kaa.platform.uploadFile('acme', app, NEW, image);
    const { endpointId, token } = kaa.platform.registerEndpoint('acme', app);
    const args = ['run', ...device.common, '--cloud', 'kaa', '--kaa-mqtt', kaaMqttUrl, '--kaa-app', app, '--kaa-token', token];
    return { app, endpointId, image, args, flash: device.flash, trace: device.trace };
  }

  it('updates over Murano: the otau_in history runs INSTALLED_VERSION → … → INSTALLED_VERSION and slot B holds the image', async () => {
    const update = muranoUpdate(64 * 1024);
    const host = startHost(update.args);
    assert.deepEqual(await hostExit(host, RUN_LIMIT_MS), { code: 0, signal: null }, host.output());

    const history = muranoStatuses(murano.product.statusHistory(update.identity));
    assert.deepEqual(statusSequence(history), UPDATE_SEQUENCE);
    assertVersions(history);
    assertProgress(history, update.image.length);
    const installSteps = history.filter((r) => r.status === 'INSTALL_STEP').map((r) => r.message);
    assert.match(installSteps[0], /marked for a trial boot; resetting$/);
    assert.match(installSteps[1], /^running version 1\.1\.0 on trial/);
    assert.deepEqual(traceStatuses(readHostTrace(update.trace), 0), history, 'the trace holds what Murano received');
    assert.ok(readSlot(update.flash, 'B', update.image.length).equals(update.image), 'slot B holds the image');
    assert.match(host.output(), /bootloader: slot B \(trial-boot\)/, 'the second start went through the boot decision');
  });

  it('updates over Kaa 1/KP MQTT: applied 1.0.0 then 1.1.0, the same statuses on the device log, slot B holds the image', async () => {
    const update = kaaUpdate(48 * 1024);
    const { app, endpointId, image } = update;
    const host = startHost(update.args);
    assert.deepEqual(await hostExit(host, RUN_LIMIT_MS), { code: 0, signal: null }, host.output());

    await kaa.platform.waitForApplied('acme', app, endpointId, (r) => r.configId === NEW, 5000);
    const applied = kaa.platform.endpointSnapshot('acme', app, endpointId).applied.map((r) => [r.configId, r.success]);
    assert.deepEqual(applied, [[OLD, true], [NEW, true]]);
    const trace = readHostTrace(update.trace);
    assert.deepEqual(traceDocuments(trace, KAA_APPLIED), [{ configId: OLD }, { configId: NEW }]);
    const statuses = traceStatuses(trace, KAA_STATUS);
    assert.deepEqual(statusSequence(statuses), UPDATE_SEQUENCE);
    assertVersions(statuses);
    assertProgress(statuses, image.length);
    assert.ok(readSlot(update.flash, 'B', image.length).equals(image), 'slot B holds the image');
  });

  it('recovers from kill -9 in mid-download: the restart resumes with a Range request and ends with INSTALLED_VERSION 1.1.0', async () => {
    const update = muranoUpdate(128 * 1024);
    // Slow only the first download, so that the kill lands in it.
    content.injectFaults(update.path, 'throttle:32768,times:1');
    const first = startHost(update.args);
    // The agent saves progress every 16 KiB; wait until some of it is durable.
    const durable = (d: { status: string; message?: string }): boolean =>
      d.status === 'DOWNLOAD_STEP' && Number(/\((\d+) of/.exec(d.message ?? '')?.[1] ?? 0) >= 48 * 1024;
    await murano.product.waitForStatus(update.identity, durable, RUN_LIMIT_MS);
    first.child.kill('SIGKILL');
    assert.equal((await hostExit(first, RUN_LIMIT_MS)).signal, 'SIGKILL');
    const killedAt = murano.product.statusHistory(update.identity).length;

    const second = startHost(update.args);
    assert.deepEqual(await hostExit(second, RUN_LIMIT_MS), { code: 0, signal: null }, second.output());

    const history = muranoStatuses(murano.product.statusHistory(update.identity));
    const afterRestart = history.slice(killedAt);
    assert.deepEqual(statusSequence(afterRestart), [
      'INSTALLED_VERSION', 'DOWNLOAD_STEP', 'DOWNLOAD_SUCCESS', 'INSTALL', 'INSTALL_STEP', 'INSTALL_STEP', 'INSTALL_SUCCESS', 'INSTALLED_VERSION',
    ]);
    assert.deepEqual([afterRestart.at(-1)!.status, afterRestart.at(-1)!.version], ['INSTALLED_VERSION', NEW]);
    const resumedAt = Number(/resuming file 1 of 1 at byte (\d+)/.exec(afterRestart[1].message)?.[1]);
    assert.ok(resumedAt >= 16 * 1024 && resumedAt < update.image.length, `resumed at ${afterRestart[1].message}`);
    const gets = content.requests.filter((r) => r.path === update.path).map((r) => r.range ?? 'whole');
    assert.deepEqual(gets, ['whole', `bytes=${resumedAt}-`]);
    assert.ok(readSlot(update.flash, 'B', update.image.length).equals(update.image), 'slot B holds the image');
  });

  it('restarts an agent that traps on a config document: it is booted again and the cloud asked again', async () => {
    const update = muranoUpdate(1024);
    const agent = join(dir, 'trapping-agent.wasm');
    execFileSync('wat2wasm', [TRAPPING_AGENT_WAT, '-o', agent]);
    const host = startHost(['run', '--agent', agent, '--flash', update.flash, '--murano', muranoUrl, '--identity', update.identity]);
    // Three boots: the first start and two restarts, each after the config made the agent trap.
    const history = (): number => murano.product.statusHistory(update.identity).length;
    while (history() < 3) await murano.product.waitForStatus(update.identity, () => true, RUN_LIMIT_MS, { since: history() });
    host.child.kill('SIGKILL');
    await hostExit(host, RUN_LIMIT_MS);

    const boots = muranoStatuses(murano.product.statusHistory(update.identity)).slice(0, 3);
    assert.deepEqual(boots.map((r) => r.message), Array(3).fill('trapping agent booted'));
    const traps = host.output().match(/agent trapped in on_config/g) ?? [];
    const restarts = host.output().match(/restarting the agent after a trap/g) ?? [];
    assert.ok(traps.length >= 2 && restarts.length === traps.length, host.output());
  });

  for (const cloud of ['Murano', 'Kaa'] as const) {
    it(`runs a 16 KiB ${cloud} update under valgrind memcheck, both boots, with no memory errors`, async () => {
      const update = cloud === 'Murano' ? muranoUpdate(16 * 1024) : kaaUpdate(16 * 1024);
      const valgrind = ['valgrind', '--error-exitcode=99', '--trace-children=yes', '--leak-check=full'];
      const host = startHost(update.args, valgrind);
      assert.deepEqual(await hostExit(host, VALGRIND_LIMIT_MS), { code: 0, signal: null }, host.output());
      const starts = host.output().match(/Memcheck, a memory error detector/g) ?? [];
      assert.equal(starts.length, 2, 'valgrind followed the reset (execv) into the second boot');
      const summaries = host.output().match(/ERROR SUMMARY: \d+ errors/g) ?? [];
      assert.ok(summaries.length >= 1 && summaries.every((s) => s === 'ERROR SUMMARY: 0 errors'), summaries.join('; '));
      assert.ok(readSlot(update.flash, 'B', update.image.length).equals(update.image), 'slot B holds the image');
    });
  }
});
