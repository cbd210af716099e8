// The C bootloader's image check (secure boot) on the Linux host: `otau-host start` runs the
// bootloader over a flash file, as a reset does, then the agent. Images are made by MCUboot's
// real imgtool; the flash states are the physical-flash attack of docs/security.md: a slot
// rewritten together with a boot record that names its digest. A good image starts; every
// other one is never started, the decision falls back, the record marks it failed, and one
// line says why.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { SlotState, placeRecordCopy, readBootRecord, sha256 } from '../../firmware-sim/flash/boot-record.ts';
import type { BootRecord, SlotEntry } from '../../firmware-sim/flash/boot-record.ts';
import { NorFlash } from '../../firmware-sim/flash/nor-flash.ts';
import { encodeTrustStore } from '../../firmware-sim/flash/trust-store.ts';
import { readEd25519PublicKey, signImage } from '../../firmware-sim/image/mcuboot-image.ts';
import { MuranoEmulator } from '../../firmware-sim/murano/murano-emulator.ts';
import { AGENT_PATH, FLASH_LAYOUT, OTAU_HOST, hostExit, startHost } from './support/otau-host.ts';
import { imgtoolKeygen, imgtoolSign } from './support/imgtool.ts';

const SECTOR = 4096;
const TRUST_STORE_SIZE = 2 * SECTOR;
const HEADER_SIZE = 0x200;
const geometry = (size: number) => ({ size, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff as const });

const vendor = imgtoolKeygen();
const attacker = imgtoolKeygen();
const factory = imgtoolSign(randomBytes(20 * 1024), { version: '1.0.0', key: vendor });
const update = imgtoolSign(randomBytes(30 * 1024), { version: '1.1.0', key: vendor, securityCounter: 2 });
const dir = mkdtempSync(join(tmpdir(), 'linux-host-secure-boot-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A slot's record entry as the agent's slot writer leaves it: `size` (default: the image's) bytes of flash, hashed. */
function entry(state: SlotState, image: Uint8Array, version: string, size = image.length): SlotEntry {
  const written = Buffer.alloc(size, 0xff);
  written.set(image.subarray(0, size));
  return { state, size, digest: sha256(written), version };
}

/**
 * A device whose trust store holds the vendor's key (or none), running `active` confirmed in
 * slot A, with `candidate` in slot B and a record asking for its trial boot (or, `confirmed`,
 * claiming it is the confirmed active image): the record an attacker writes with the slot.
 */
function device(name: string, candidate: Uint8Array, options: { keys?: boolean; confirmed?: boolean; active?: Uint8Array; counter?: number; recordedSize?: number } = {}): string {
  const { bootRecordSize, slotSize } = FLASH_LAYOUT;
  const flash = new NorFlash({ areas: [geometry(bootRecordSize), geometry(slotSize), geometry(slotSize), geometry(TRUST_STORE_SIZE)] });
  const active = options.active ?? factory;
  flash.bytes(1).set(active);
  flash.bytes(2).set(candidate);
  if (options.keys ?? true) {
    flash.bytes(3).set(encodeTrustStore({ sequence: 1, securityCounter: options.counter ?? 0, generation: 0, keys: [readEd25519PublicKey(readFileSync(vendor.publicPem))] }, geometry(TRUST_STORE_SIZE)));
  }
  const record: BootRecord = options.confirmed
    ? { sequence: 5, active: 2, trial: 0, attempts: 0, booted: false,
      slots: [entry(SlotState.Confirmed, active, '1.0.0'), entry(SlotState.Confirmed, candidate, '1.1.0')] }
    : { sequence: 5, active: 1, trial: 2, attempts: 3, booted: false,
      slots: [entry(SlotState.Confirmed, active, '1.0.0'), entry(SlotState.Trial, candidate, '1.1.0', options.recordedSize)] };
  placeRecordCopy(flash, 0, record);
  const path = join(dir, `${name}.img`);
  writeFileSync(path, flash.image());
  return path;
}

/** `otau-host start` over the flash file: its output, and the record it left. */
function start(path: string): { output: string; record: BootRecord | undefined } {
  const run = spawnSync(OTAU_HOST, ['start', '--agent', AGENT_PATH, '--flash', path, '--trust-store-size', String(TRUST_STORE_SIZE)],
    { encoding: 'utf8', timeout: 20_000 });
  const output = `${run.stdout}${run.stderr}`;
  assert.equal(run.status, 0, output);
  const { bootRecordSize, slotSize } = FLASH_LAYOUT;
  const flash = new NorFlash({ areas: [geometry(bootRecordSize), geometry(slotSize), geometry(slotSize), geometry(TRUST_STORE_SIZE)] });
  flash.loadImage(readFileSync(path));
  return { output, record: readBootRecord(flash) };
}

/** The image with one byte flipped at `at`. */
function flipped(image: Buffer, at: number): Buffer {
  const copy = Buffer.from(image);
  copy[at] ^= 0x01;
  return copy;
}

function assertRefused(path: string, reason: string): void {
  const { output, record } = start(path);
  assert.match(output, new RegExp(`bootloader: slot B refused: ${reason.replace(/[()]/g, '\\$&')}\\n`), output);
  assert.match(output, /bootloader: slot A \(active, trial failed\)/, output);
  assert.doesNotMatch(output, /bootloader: slot B \(/, output);
  assert.equal(record?.slots[1].state, SlotState.Failed, 'the record marks slot B failed');
  assert.equal(record?.active, 1, 'slot A stays active');
}

describe('the C bootloader checks each image before it starts (otau-host start, imgtool images)', () => {
  it('starts an update imgtool signed with the trusted key on trial, saying the signature verified', () => {
    const { output, record } = start(device('good', update));
    assert.match(output, /bootloader: slot B \(trial-boot\)\n/, output);
    assert.match(output, /image check: slot B signature verified\n/, output);
    assert.equal(record?.trial, 2);
    assert.equal(record?.slots[1].state, SlotState.Trial);
  });

  it('never starts a slot rewritten with an image signed by another key under a forged record', () => {
    assertRefused(device('wrong-key', imgtoolSign(randomBytes(30 * 1024), { version: '1.1.0', key: attacker })), 'signed by a key this device does not trust');
  });

  it('never starts an unsigned imgtool image on a device with keys', () => {
    assertRefused(device('unsigned', imgtoolSign(randomBytes(30 * 1024), { version: '1.1.0' })), 'unsigned image (no ED25519 TLV)');
  });

  // A few flips here; every byte of the format is flipped against the agent by npm run test:signed-flips.
  const tlvStart = HEADER_SIZE + update.readUInt32LE(12);
  const protectedSize = update.readUInt16LE(10);
  for (const [where, at, reason] of [
    ['the header version', 20, 'image hash differs from its SHA256 TLV'],
    ['the body', HEADER_SIZE + 1000, 'image hash differs from its SHA256 TLV'],
    ['the protected security counter', tlvStart + 8, 'image hash differs from its SHA256 TLV'],
    ['the header magic', 0, 'bad header magic'],
    ['the signature', update.length - 1, 'ED25519 signature does not verify'],
  ] as const) {
    it(`never starts the update with a byte of ${where} flipped, its record naming the flipped image's digest`, () => {
      assert.ok(protectedSize > 0, 'the update carries a protected TLV area (the security counter)');
      assertRefused(device(`flip-${at}`, flipped(update, at)), reason);
    });
  }

  it('never starts an image the trusted key signed with a security counter below the recorded one (a rollback written into flash)', () => {
    const running = imgtoolSign(randomBytes(20 * 1024), { version: '1.2.0', key: vendor, securityCounter: 3 });
    assertRefused(device('counter', update, { counter: 3, active: running }), 'security counter lower than the recorded one');
  });

  it('takes the record\'s size padded to the write unit (as the slot writer records it) and refuses one a unit longer', () => {
    const unaligned = signImage(randomBytes(30_001), { version: '1.1.0', key: createPrivateKey(readFileSync(vendor.privatePem)) });
    assert.notEqual(unaligned.length % 4, 0);
    const padded = Math.ceil(unaligned.length / 4) * 4;
    const { output } = start(device('padded', unaligned, { recordedSize: padded }));
    assert.match(output, /bootloader: slot B \(trial-boot\)\n/, output);
    assertRefused(device('padded-more', unaligned, { recordedSize: padded + 4 }), 'TLV area does not end at the recorded size');
  });

  it('re-checks the confirmed slot at every boot: an attacker image in a slot the record calls confirmed never starts', () => {
    const forged = imgtoolSign(randomBytes(30 * 1024), { version: '1.1.0', key: attacker });
    const { output, record } = start(device('confirmed-forged', forged, { confirmed: true }));
    assert.match(output, /bootloader: slot B refused: signed by a key this device does not trust\n/, output);
    assert.match(output, /bootloader: slot A \(other-confirmed\)\n/, output);
    assert.equal(record?.active, 1, 'the record falls back to slot A');
    assert.equal(record?.slots[1].state, SlotState.Failed);
  });

  it('without trusted keys checks an MCUboot image against its own hash and leaves other images to the record', () => {
    const raw = randomBytes(30 * 1024);
    const rawStart = start(device('no-keys-raw', raw, { keys: false }));
    assert.match(rawStart.output, /bootloader: slot B \(trial-boot\)\n/, rawStart.output);
    assert.doesNotMatch(rawStart.output, /image check/, rawStart.output);
    const unsigned = start(device('no-keys-unsigned', imgtoolSign(randomBytes(30 * 1024), { version: '1.1.0' }), { keys: false }));
    assert.match(unsigned.output, /image check: slot B image hash matches\n/, unsigned.output);
    assertRefusedWithoutKeys(device('no-keys-flipped', flipped(update, HEADER_SIZE + 5), { keys: false }));
  });
});

function assertRefusedWithoutKeys(path: string): void {
  const { output } = start(path);
  assert.match(output, /bootloader: slot B refused: image hash differs from its SHA256 TLV\n/, output);
  assert.match(output, /bootloader: slot A \(active, trial failed\)\n/, output);
}

describe('a refusal of the C bootloader reaches the cloud (otau-host run, Murano emulator)', () => {
  const murano = new MuranoEmulator();
  let muranoUrl = '';
  before(async () => ({ http: muranoUrl } = await murano.start()));
  after(() => murano.stop());

  it('reports INSTALL_ERROR naming the bootloader\'s reason for an attacker image under a forged trial record, then the installed version', async () => {
    const path = device('wrong-key-reported', imgtoolSign(randomBytes(30 * 1024), { version: '1.1.0', key: attacker }));
    murano.product.addIdentity('gw-refused');
    const host = startHost(['run', '--agent', AGENT_PATH, '--flash', path, '--trust-store-size', String(TRUST_STORE_SIZE),
      '--firmware-version', '1.0.0', '--exit-when-installed', '1.0.0', '--murano', muranoUrl, '--identity', 'gw-refused']);
    assert.deepEqual(await hostExit(host, 20_000), { code: 0, signal: null }, host.output());
    assert.match(host.output(), /bootloader: slot B refused: signed by a key this device does not trust\n/, host.output());
    const history = murano.product.statusHistory('gw-refused').map((entry) => entry.document!);
    assert.deepEqual(history.map((d) => [d.version, d.status, d.message]).slice(0, 2), [
      ['1.1.0', 'INSTALL_ERROR', 'version 1.1.0 was refused by the bootloader: signed by a key this device does not trust; rolled back to 1.0.0'],
      ['1.0.0', 'INSTALLED_VERSION', ''],
    ], JSON.stringify(history));
    const flash = new NorFlash({ areas: [geometry(FLASH_LAYOUT.bootRecordSize), geometry(FLASH_LAYOUT.slotSize), geometry(FLASH_LAYOUT.slotSize), geometry(TRUST_STORE_SIZE)] });
    flash.loadImage(readFileSync(path));
    assert.deepEqual(readBootRecord(flash)?.slots[1].failure, { cause: 1, problem: 20 }, 'slot B: refused by the bootloader, ImageProblem UnknownKey');
  });
});
