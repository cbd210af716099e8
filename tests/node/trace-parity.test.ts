// One scenario, three hosts: the Node device runner (SimulatedDevice over real loopback links),
// otau-host (the same agent.wasm under wasm3) and otau-host built with that agent.wasm translated
// ahead of time by wasm2c play the same update against the same emulated cloud — same factory image in slot A, same new image and config, same flash
// geometry and agent settings — and must leave the same status trail, document for document
// (DOWNLOAD_STEPs included: both feed the agent fixed 4 KiB pieces), and the same flash.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Channel, Setting, compileAgent } from '../../firmware-sim/agent/agent-instance.ts';
import { makeFirmwareImage, sha256Hex } from '../../firmware-sim/device/firmware-image.ts';
import { signImage } from '../../firmware-sim/image/mcuboot-image.ts';
import { HttpFetcher } from '../../firmware-sim/device/http-fetcher.ts';
import { KaaMqttLink } from '../../firmware-sim/device/kaa-mqtt-link.ts';
import { FAST_SETTINGS, loopbackDevice, runsConfirmed, waitFor } from '../../firmware-sim/device/loopback-device.ts';
import { MuranoHttpLink } from '../../firmware-sim/device/murano-http-link.ts';
import type { SimulatedDevice } from '../../firmware-sim/device/simulated-device.ts';
import type { CloudLink } from '../../firmware-sim/device/transport.ts';
import { KaaEmulator } from '../../firmware-sim/kaa/kaa-emulator.ts';
import { MuranoEmulator } from '../../firmware-sim/murano/murano-emulator.ts';
import { ContentServer } from '../../firmware-sim/network/content-server.ts';
import { AGENT_PATH, FLASH_LAYOUT, OTAU_HOST, OTAU_HOST_AOT, hostExit, startHost } from './support/otau-host.ts';
import { KAA_APPLIED, KAA_STATUS, MURANO_OTAU_IN, muranoStatuses, traceDocuments, readHostTrace, statusSequence, traceStatuses, type StatusReport } from './support/otau-trace.ts';

const OLD = '1.0.0';
const NEW = '1.1.0';
const RUN_LIMIT_MS = 30_000;
const TENANT = 'acme';
/** Slot A at the start of both runs; its size is the FactoryImageSize setting. */
const factoryImage = makeFirmwareImage({ version: OLD, size: 20_000 });
/** Not a multiple of 4 KiB: the last piece fed to the agent is a short one. */
const newImage = makeFirmwareImage({ version: NEW, size: 70_001 });
/** The same settings on both hosts: loopback devices' fast retries and the factory image's size. */
const SETTINGS: Partial<Record<Setting, number>> = { ...FAST_SETTINGS, [Setting.FactoryImageSize]: factoryImage.length };
const HOST_SETTING_NAMES: Partial<Record<Setting, string>> = {
  [Setting.MaxAttempts]: 'max-attempts', [Setting.RetryBaseMs]: 'retry-base-ms', [Setting.RetryMaxMs]: 'retry-max-ms',
  [Setting.StallTimeoutMs]: 'stall-timeout-ms', [Setting.FactoryImageSize]: 'factory-image-size',
  [Setting.SlotAddressA]: 'slot-address-a', [Setting.SlotAddressB]: 'slot-address-b',
};
/** A release with a build per slot: the new image wrapped for each slot's address (imgtool --rom-fixed's bytes). */
const SLOT_ADDRESSES = { A: 0x21040000, B: 0x21080000 };
const slotBuilds = {
  A: signImage(newImage, { version: NEW, romFixed: SLOT_ADDRESSES.A }),
  B: signImage(newImage, { version: NEW, romFixed: SLOT_ADDRESSES.B }),
};
const XIP_SETTINGS: Partial<Record<Setting, number>> = {
  ...SETTINGS, [Setting.SlotAddressA]: SLOT_ADDRESSES.A, [Setting.SlotAddressB]: SLOT_ADDRESSES.B,
};

/** What one run leaves behind: the status trail and the flash areas. */
interface RunOutcome {
  statuses: StatusReport[];
  bootRecord: Buffer;
  slotA: Buffer;
  slotB: Buffer;
}

function hostSettingArgs(settings: Partial<Record<Setting, number>>): string[] {
  return Object.entries(settings).flatMap(([id, value]) => {
    const name = HOST_SETTING_NAMES[Number(id) as Setting];
    if (name === undefined) throw new Error(`setting ${id} has no otau-host name in this test`);
    return ['--setting', `${name}=${value}`];
  });
}

/** A flash file of otau-host's default layout: boot record erased, slot A the factory image, slot B erased. */
function factoryFlashFile(path: string): void {
  const flash = Buffer.alloc(FLASH_LAYOUT.bootRecordSize + 2 * FLASH_LAYOUT.slotSize, 0xff);
  factoryImage.copy(flash, FLASH_LAYOUT.bootRecordSize);
  writeFileSync(path, flash);
}

function flashAreas(flash: Buffer): Omit<RunOutcome, 'statuses'> {
  const { bootRecordSize, slotSize } = FLASH_LAYOUT;
  return {
    bootRecord: flash.subarray(0, bootRecordSize),
    slotA: flash.subarray(bootRecordSize, bootRecordSize + slotSize),
    slotB: flash.subarray(bootRecordSize + slotSize, bootRecordSize + 2 * slotSize),
  };
}

/** The two otau-host builds, each run against the Node runner. */
const HOSTS = [
  { runtime: 'wasm3', binary: OTAU_HOST },
  { runtime: 'aot', binary: OTAU_HOST_AOT },
] as const;

/** Same statuses, same flash; a failure names the host and the first report that differs. */
function assertSameRun(node: RunOutcome, host: RunOutcome, runtime: string): void {
  const first = node.statuses.findIndex((report, i) => JSON.stringify(report) !== JSON.stringify(host.statuses[i]));
  assert.deepEqual(host.statuses, node.statuses, `reports differ from #${first}: Node ${JSON.stringify(node.statuses[first])}, otau-host (${runtime}) ${JSON.stringify(host.statuses[first])}`);
  assert.ok(host.slotB.equals(node.slotB), `slot B: the same bytes on both flashes (${runtime})`);
  assert.ok(host.slotA.equals(node.slotA), `slot A: the factory image untouched on both (${runtime})`);
  assert.ok(host.bootRecord.equals(node.bootRecord), `boot record area: the same bytes on both flashes (${runtime})`);
}

/**
 * The trail up to the first report of NEW installed: otau-host stops there (--exit-when-installed),
 * while the Node device runs on and may answer its boot-time read of the same config once more
 * (INSTALLED_VERSION again), depending on whether that read lands before or after confirmation.
 */
function throughInstalled(statuses: readonly StatusReport[]): StatusReport[] {
  const installed = statuses.findIndex((r) => r.status === 'INSTALLED_VERSION' && r.version === NEW);
  return installed < 0 ? [...statuses] : statuses.slice(0, installed + 1);
}

/** The trail of a complete update: boot, config, download, trial, confirmation (one more TEST_STEP with a build per slot). */
function assertCompleteUpdate(statuses: readonly StatusReport[], slotB: Buffer, image: Buffer = newImage, testSteps = 3): void {
  assert.deepEqual(statusSequence(statuses), [
    'INSTALLED_VERSION', 'INIT', 'TEST', ...Array<string>(testSteps).fill('TEST_STEP'), 'TEST_SUCCESS',
    'DOWNLOAD', 'DOWNLOAD_STEP', 'DOWNLOAD_SUCCESS', 'INSTALL', 'INSTALL_STEP', 'INSTALL_STEP', 'INSTALL_SUCCESS', 'INSTALLED_VERSION',
  ]);
  assert.deepEqual([statuses.at(-1)!.status, statuses.at(-1)!.version], ['INSTALLED_VERSION', NEW]);
  assert.ok(slotB.subarray(0, image.length).equals(image), 'slot B holds the new image');
}

describe('trace parity: the Node device runner and otau-host (wasm3 and aot) on the same scenario', () => {
  const murano = new MuranoEmulator();
  const kaa = new KaaEmulator();
  const content = new ContentServer();
  const devices: Array<{ device: SimulatedDevice; link: CloudLink & { close(): void } }> = [];
  let dir = '';

  before(async () => {
    await Promise.all([murano.start(), kaa.start(), content.start()]);
    kaa.platform.addTenant(TENANT);
    content.serveBytes(`/firmware-${NEW}.bin`, newImage);
    dir = mkdtempSync(join(tmpdir(), 'trace-parity-'));
  });
  after(async () => {
    for (const { device, link } of devices) {
      device.powerOff();
      link.close();
    }
    await Promise.all([murano.stop(), kaa.stop(), content.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** The Node runner's device: loopback links, slots of otau-host's default size. */
  async function nodeDevice(id: string, link: CloudLink & { close(): void }, settings: Partial<Record<Setting, number>>): Promise<SimulatedDevice> {
    const device = loopbackDevice({
      id, module: await compileAgent(), factoryImage, slotBytes: FLASH_LAYOUT.slotSize, cloud: link,
      fetcher: link instanceof KaaMqttLink ? link.refreshingLinks(new HttpFetcher()) : undefined, settings,
    });
    devices.push({ device, link });
    assert.equal(device.flash.bytes(0).length, FLASH_LAYOUT.bootRecordSize, 'Node flash: boot record area of otau-host size');
    assert.equal(device.flash.bytes(1).length, FLASH_LAYOUT.slotSize, 'Node flash: slots of otau-host size');
    device.powerOn();
    return device;
  }

  function nodeFlash(device: SimulatedDevice): Buffer {
    return Buffer.concat([0, 1, 2].map((area) => Buffer.from(device.flash.bytes(area))));
  }

  /** otau-host run from a factory flash until it reports NEW installed; its flash file and trace. */
  async function hostRun(name: string, binary: string, cloudArgs: string[], settings = SETTINGS): Promise<{ flash: Buffer; trace: string }> {
    const flash = join(dir, `${name}.img`);
    const trace = join(dir, `${name}.trace`);
    factoryFlashFile(flash);
    const host = startHost(['run', '--agent', AGENT_PATH, '--flash', flash, '--firmware-version', OLD, '--confirm-after-ms', '50',
      '--exit-when-installed', NEW, '--trace', trace, ...hostSettingArgs(settings), ...cloudArgs], [], binary);
    assert.deepEqual(await hostExit(host, RUN_LIMIT_MS), { code: 0, signal: null }, host.output());
    return { flash: readFileSync(flash), trace };
  }

  function muranoConfig(): string {
    return JSON.stringify({
      version: NEW, name: `firmware ${NEW}`, type: 'FILE', payload: content.url(`/firmware-${NEW}.bin`),
      sha256: sha256Hex(newImage), size: newImage.length,
    });
  }

  it('over Murano: the same otau_in documents, the same slot B and boot record', async () => {
    for (const identity of ['parity-node', ...HOSTS.map(({ runtime }) => `parity-host-${runtime}`)]) {
      murano.product.addIdentity(identity);
      murano.product.cloudWrite(identity, 'config_otau', muranoConfig());
    }

    const link = new MuranoHttpLink({ url: murano.urls.http, identity: 'parity-node' });
    const device = await nodeDevice('parity-node', link, SETTINGS);
    await waitFor(device, (d) => runsConfirmed(NEW)(d) && d.otauIn().at(-1)?.status === 'INSTALLED_VERSION', RUN_LIMIT_MS, `${NEW} confirmed`);
    await link.flushed();
    const node: RunOutcome = { statuses: throughInstalled(muranoStatuses(murano.product.statusHistory('parity-node'))), ...flashAreas(nodeFlash(device)) };

    assertCompleteUpdate(node.statuses, node.slotB);
    for (const { runtime, binary } of HOSTS) {
      const identity = `parity-host-${runtime}`;
      const hostFiles = await hostRun(`murano-${runtime}`, binary, ['--murano', murano.urls.http, '--identity', identity]);
      const host: RunOutcome = { statuses: muranoStatuses(murano.product.statusHistory(identity)), ...flashAreas(hostFiles.flash) };
      assert.deepEqual(traceStatuses(readHostTrace(hostFiles.trace), MURANO_OTAU_IN), host.statuses, `otau-host (${runtime}) traced what Murano received`);
      assertSameRun(node, host, runtime);
    }
  });

  it('with a build per slot over Murano: both take slot B\'s build from the slots table, with the same documents and flash', async () => {
    const entry = (slot: 'A' | 'B') => ({
      payload: content.url(`/firmware-${NEW}-${slot}.bin`), sha256: sha256Hex(slotBuilds[slot]), size: slotBuilds[slot].length,
    });
    for (const slot of ['A', 'B'] as const) content.serveBytes(`/firmware-${NEW}-${slot}.bin`, slotBuilds[slot]);
    const config = JSON.stringify({ version: NEW, name: `firmware ${NEW}`, type: 'FILE', ...entry('B'), slots: { A: entry('A'), B: entry('B') } });
    for (const identity of ['parity-slots-node', ...HOSTS.map(({ runtime }) => `parity-slots-${runtime}`)]) {
      murano.product.addIdentity(identity);
      murano.product.cloudWrite(identity, 'config_otau', config);
    }

    const link = new MuranoHttpLink({ url: murano.urls.http, identity: 'parity-slots-node' });
    const device = await nodeDevice('parity-slots-node', link, XIP_SETTINGS);
    await waitFor(device, (d) => runsConfirmed(NEW)(d) && d.otauIn().at(-1)?.status === 'INSTALLED_VERSION', RUN_LIMIT_MS, `${NEW} confirmed`);
    await link.flushed();
    const node: RunOutcome = { statuses: throughInstalled(muranoStatuses(murano.product.statusHistory('parity-slots-node'))), ...flashAreas(nodeFlash(device)) };

    assertCompleteUpdate(node.statuses, node.slotB, slotBuilds.B, 4);
    assert.ok(node.statuses.some((r) => r.message === 'MCUboot image linked to run from 0x21080000, where slot B runs'));
    for (const { runtime, binary } of HOSTS) {
      const identity = `parity-slots-${runtime}`;
      const hostFiles = await hostRun(`slots-${runtime}`, binary, ['--murano', murano.urls.http, '--identity', identity], XIP_SETTINGS);
      assertSameRun(node, { statuses: muranoStatuses(murano.product.statusHistory(identity)), ...flashAreas(hostFiles.flash) }, runtime);
    }
  });

  it('over Kaa 1/KP: the same status documents and applied reports, the same slot B and boot record', async () => {
    kaa.platform.createApplication(TENANT, 'parity');
    kaa.platform.createSoftware(TENANT, 'parity', {
      version: NEW, upgradableFrom: [OLD], rolloutStrategy: 'general', specification: { size: newImage.length, sha256: sha256Hex(newImage) }, metadata: {},
    });
    kaa.platform.uploadFile(TENANT, 'parity', NEW, newImage);
    const { token: nodeToken } = kaa.platform.registerEndpoint(TENANT, 'parity');

    const link = new KaaMqttLink({ mqttUrl: kaa.urls.mqtt, application: 'parity', token: nodeToken });
    const device = await nodeDevice('parity-kaa-node', link, { ...SETTINGS, [Setting.Cloud]: 1 });
    await waitFor(device, (d) => runsConfirmed(NEW)(d) && link.statuses.at(-1)?.status === 'INSTALLED_VERSION', RUN_LIMIT_MS, `${NEW} confirmed`);
    const nodeReports = (channel: Channel) => device.reports.filter((r) => r.channel === channel).map((r) => r.document);
    const node: RunOutcome = { statuses: throughInstalled(nodeReports(Channel.KaaStatus).map((d) => JSON.parse(d) as StatusReport)), ...flashAreas(nodeFlash(device)) };

    assertCompleteUpdate(node.statuses, node.slotB);
    for (const { runtime, binary } of HOSTS) {
      const { token: hostToken } = kaa.platform.registerEndpoint(TENANT, 'parity');
      const hostFiles = await hostRun(`kaa-${runtime}`, binary, ['--cloud', 'kaa', '--kaa-mqtt', kaa.urls.mqtt, '--kaa-app', 'parity', '--kaa-token', hostToken]);
      const trace = readHostTrace(hostFiles.trace);
      const host: RunOutcome = { statuses: traceStatuses(trace, KAA_STATUS), ...flashAreas(hostFiles.flash) };
      assert.deepEqual(traceDocuments(trace, KAA_APPLIED), nodeReports(Channel.KaaApplied).map((d) => JSON.parse(d) as unknown), `the same applied reports (${runtime})`);
      assertSameRun(node, host, runtime);
    }
  });
});
