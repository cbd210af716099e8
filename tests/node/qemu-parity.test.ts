// The QEMU board (agent.wasm under wasm3 on a Cortex-M4, and the same agent.wasm translated
// ahead of time by wasm2c) and the Node device runner play the same update — the bring-up's config_otau, image and factory image, the board's flash
// geometry, FactoryImageSize — and must report the same otau_in documents, byte for byte.
// The board's side is boards/qemu-mps2-an386/bringup.sh (which also builds the firmware);
// the Node side runs in process under a ManualClock.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AgentState, Channel, ConfigSource, Setting, compileAgent } from '../../firmware-sim/agent/agent-instance.ts';
import { ManualClock } from '../../firmware-sim/clock.ts';
import { InProcessCloud, InProcessFetcher } from '../../firmware-sim/device/in-process.ts';
import { deviceFlash } from '../../firmware-sim/device/loopback-device.ts';
import { SimulatedDevice } from '../../firmware-sim/device/simulated-device.ts';

const BRINGUP = fileURLToPath(new URL('../../boards/qemu-mps2-an386/bringup.sh', import.meta.url));
const RUN_DIR = fileURLToPath(new URL('../../build/boards/qemu-mps2-an386/run/', import.meta.url));
const FACTORY_VERSION = '1.0.0';
/** boards/qemu-mps2-an386/flash_layout.h: a 16 KiB boot record (4 sectors), slots of 64 sectors. */
const SLOT_BYTES = 64 * 4096;
/** The board feeds the agent one I/O buffer (4 KiB) of the image file per on_data. */
const CHUNK_BYTES = 4096;
const STEP_MS = 5;
const LIMIT_MS = 120_000;

/** The channel-0 documents a console log holds ("report 0: <document>" lines), in order. */
function boardReports(log: string): string[] {
  return log.split('\n').flatMap((line) => (line.startsWith('report 0: ') ? [line.slice('report 0: '.length)] : []));
}

/** The Node runner on the bring-up's files: otau_in documents until the new version is reported installed. */
async function nodeReports(config: { version: string; payload: string }, configText: string, image: Buffer, factory: Buffer): Promise<string[]> {
  const clock = new ManualClock(0);
  const fetcher = new InProcessFetcher(clock, { chunkSize: CHUNK_BYTES });
  fetcher.serve(config.payload, image);
  const cloud = new InProcessCloud(clock);
  cloud.publish(ConfigSource.MuranoConfigOtau, configText);
  const device = new SimulatedDevice({
    id: 'qemu-parity', module: await compileAgent(), flash: deviceFlash(factory, SLOT_BYTES), clock, cloud, fetcher,
    factoryVersion: FACTORY_VERSION, settings: { [Setting.FactoryImageSize]: factory.length },
  });
  const reports = (): string[] => device.reports.filter((r) => r.channel === Channel.MuranoOtauIn).map((r) => r.document);
  const installed = (): boolean =>
    device.agentState() === AgentState.Idle && reports().some((d) => JSON.parse(d).status === 'INSTALLED_VERSION' && JSON.parse(d).version === config.version);
  device.powerOn();
  while (!installed() && clock.now() < LIMIT_MS) clock.advance(STEP_MS);
  const done = installed();
  device.powerOff();
  assert.ok(done, `the Node runner did not install ${config.version}; reports:\n${reports().join('\n')}`);
  return reports();
}

describe('QEMU board parity: the mps2-an386 firmware and the Node runner on the same update', () => {
  /** The console logs bringup.sh leaves, by runtime and SHA-256 path. */
  const logs: Record<string, string> = {};
  let expected: string[] = [];

  before(async () => {
    const bringup = spawnSync('sh', [BRINGUP], { encoding: 'utf8', timeout: 600_000 });
    assert.equal(bringup.status, 0, `bringup.sh failed:\n${bringup.stdout}\n${bringup.stderr}`);
    for (const name of ['update', 'update-native', 'aot-update', 'aot-update-native']) logs[name] = readFileSync(`${RUN_DIR}${name}.log`, 'utf8');
    const configText = readFileSync(`${RUN_DIR}config_otau.json`, 'utf8');
    const config = JSON.parse(configText) as { version: string; payload: string };
    const image = readFileSync(`${RUN_DIR}image-${config.version}.bin`);
    const factory = readFileSync(`${RUN_DIR}factory-${FACTORY_VERSION}.bin`);
    expected = await nodeReports(config, configText, image, factory);
  });

  it('reports the same otau_in documents, DOWNLOAD_STEPs included, as the Node runner', () => {
    const reports = boardReports(logs['update']);
    assert.ok(reports.length > 10, `the board reported only ${reports.length} documents`);
    assert.deepEqual(reports, expected);
  });

  it('reports the same documents with the native SHA-256 import', () => {
    assert.deepEqual(boardReports(logs['update-native']), expected);
  });

  it('reports the same documents with the agent translated ahead of time (aot)', () => {
    assert.deepEqual(boardReports(logs['aot-update']), expected);
  });

  it('reports the same documents translated ahead of time with the native SHA-256 import', () => {
    assert.deepEqual(boardReports(logs['aot-update-native']), expected);
  });
});
