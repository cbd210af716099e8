// Signed images on the Linux host: otau-host run with a trust-store area (--trust-store-size)
// provisioned with a key made by MCUboot's imgtool installs an image imgtool signed with it,
// and refuses one signed by another key, over the Murano emulator on loopback.
import { after, before, describe, it, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTrustStore, readTrustStore } from '../../firmware-sim/flash/trust-store.ts';
import { NorFlash } from '../../firmware-sim/flash/nor-flash.ts';
import { readEd25519PublicKey } from '../../firmware-sim/image/mcuboot-image.ts';
import { MuranoEmulator } from '../../firmware-sim/murano/murano-emulator.ts';
import { ContentServer } from '../../firmware-sim/network/content-server.ts';
import { AGENT_PATH, FLASH_LAYOUT, OTAU_HOST, OTAU_HOST_AOT, OTAU_HOST_NATIVE_ED25519, hostExit, readSlot, startHost } from './support/otau-host.ts';
import { imgtoolKeygen, imgtoolSign } from './support/imgtool.ts';

const OLD = '1.0.0';
const NEW = '1.1.0';
const SECTOR = 4096;
const TRUST_STORE_SIZE = 2 * SECTOR;
const RUN_LIMIT_MS = 20_000;
// The boards' AGENT_MEMORY_LIMIT (each board's main.c): a signed update must fit it too.
const BOARD_MEMORY_LIMIT = 29_184;

const vendor = imgtoolKeygen();
const attacker = imgtoolKeygen();

/** imgtool's KEYHASH of a key: SHA-256 of its SubjectPublicKeyInfo DER (docs/boot-record.md), in hex. */
function keyHash(key: typeof vendor): string {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), readEd25519PublicKey(readFileSync(key.publicPem))]);
  return createHash('sha256').update(spki).digest('hex');
}

test('the native-Ed25519 otau-host answers the agent\'s ed25519_native import with the bootloader\'s translated verifier; the portable one does not', () => {
  // agent_ed25519 (host/core/agent_ed25519_*.c) is what the import calls.
  const callsVerifier = (path: string) => /call\S*\s+\S+\s+<boot_ed25519_verify>/.test(
    spawnSync('objdump', ['-d', '--no-show-raw-insn', '--disassemble=agent_ed25519', path], { encoding: 'utf8' }).stdout);
  assert.equal(callsVerifier(OTAU_HOST_NATIVE_ED25519), true);
  assert.equal(callsVerifier(OTAU_HOST), false);
});

for (const [runtime, hostPath] of [['wasm3', OTAU_HOST], ['aot', OTAU_HOST_AOT], ['wasm3, native Ed25519', OTAU_HOST_NATIVE_ED25519]] as const) {
  describe(`otau-host (${runtime}) run with a trust store and the boards' memory limit`, () => {
    const murano = new MuranoEmulator();
    const content = new ContentServer();
    let muranoUrl = '';
    let dir = '';

    before(async () => {
      ({ http: muranoUrl } = await murano.start());
      await content.start();
      dir = mkdtempSync(join(tmpdir(), `linux-host-signed-${runtime.replace(/\W+/g, '-')}-`));
    });
    after(async () => {
      await Promise.all([murano.stop(), content.stop()]);
      rmSync(dir, { recursive: true, force: true });
    });

    /** A flash image file: erased areas, and area 3 (after slot B) provisioned with the vendor's key. */
    function provisionedFlash(name: string): string {
      const { bootRecordSize, slotSize } = FLASH_LAYOUT;
      const image = Buffer.alloc(bootRecordSize + 2 * slotSize + TRUST_STORE_SIZE, 0xff);
      const geometry = { size: TRUST_STORE_SIZE, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff as const };
      encodeTrustStore({ sequence: 1, securityCounter: 0, generation: 0, keys: [readEd25519PublicKey(readFileSync(vendor.publicPem))] }, geometry)
        .copy(image, bootRecordSize + 2 * slotSize);
      const path = join(dir, `${name}.img`);
      writeFileSync(path, image);
      return path;
    }

    function offer(identity: string, signed: Buffer): string[] {
      const path = `/${identity}/firmware-${NEW}.bin`;
      content.serveBytes(path, signed);
      murano.product.addIdentity(identity);
      murano.product.cloudWrite(identity, 'config_otau', JSON.stringify({
        version: NEW, name: 'fw', type: 'FILE', payload: content.url(path), sha256: createHash('sha256').update(signed).digest('hex'), size: signed.length,
      }));
      return ['run', '--agent', AGENT_PATH, '--memory-limit', String(BOARD_MEMORY_LIMIT), '--flash', provisionedFlash(identity), '--trust-store-size', String(TRUST_STORE_SIZE),
        '--firmware-version', OLD, '--confirm-after-ms', '200', '--exit-when-installed', NEW, '--murano', muranoUrl, '--identity', identity,
        // The signature check goes deepest into the agent's stack: run at the floor otau-host allows.
        '--stack-size', '3072'];
    }

    it('installs an image imgtool signed with the provisioned key and records its security counter', async () => {
      const signed = imgtoolSign(randomBytes(40 * 1024), { version: NEW, key: vendor, securityCounter: 7 });
      const args = offer('gw-signed', signed);
      const host = startHost(args, [], hostPath);
      assert.deepEqual(await hostExit(host, RUN_LIMIT_MS), { code: 0, signal: null }, host.output());
      const history = murano.product.statusHistory('gw-signed').map((entry) => entry.document!);
      assert.ok(history.some((d) => d.status === 'DOWNLOAD_STEP' && /ED25519 signature verified with trusted key/.test(d.message ?? '')), JSON.stringify(history));
      assert.ok(history.some((d) => d.status === 'INSTALL_SUCCESS' && /security counter 7 recorded/.test(d.message ?? '')), JSON.stringify(history));
      const flashPath = args[args.indexOf('--flash') + 1];
      assert.ok(readSlot(flashPath, 'B', signed.length).equals(signed), 'slot B holds the signed image');
      const { bootRecordSize, slotSize } = FLASH_LAYOUT;
      const flash = new NorFlash({ areas: [
        { size: bootRecordSize, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff }, { size: slotSize, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff },
        { size: slotSize, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff }, { size: TRUST_STORE_SIZE, sectorSize: SECTOR, writeAlign: 4, erasedValue: 0xff }] });
      flash.loadImage(readFileSync(flashPath));
      assert.equal(readTrustStore(flash)?.securityCounter, 7);
    });

    it('refuses an image signed by another key with DOWNLOAD_ERROR naming its key hash, and keeps running 1.0.0', async () => {
      const forged = imgtoolSign(randomBytes(40 * 1024), { version: NEW, key: attacker });
      const host = startHost(offer('gw-forged', forged), [], hostPath);
      try {
        const refusal = await murano.product.waitForStatus('gw-forged', (s) => s.status === 'DOWNLOAD_ERROR', RUN_LIMIT_MS);
        assert.match(refusal.message ?? '', /^image is signed by key [0-9a-f]{64} \(KEYHASH\), which this device does not trust$/);
      } finally {
        host.child.kill('SIGKILL');
        await hostExit(host, RUN_LIMIT_MS).catch(() => undefined);
      }
      const history = murano.product.statusHistory('gw-forged').map((entry) => entry.document!);
      assert.ok(!history.some((d) => d.status === 'INSTALL'), JSON.stringify(history));
    });

    it('refuses an image whose signature was tampered with: DOWNLOAD_ERROR naming the trusted key it does not verify with, and keeps running 1.0.0', async () => {
      const signed = imgtoolSign(randomBytes(40 * 1024), { version: NEW, key: vendor });
      const tampered = Buffer.from(signed);
      tampered[tampered.length - 40] ^= 0x01; // inside the ED25519 TLV's 64 bytes, the last TLV
      const identity = `gw-tampered`;
      const host = startHost(offer(identity, tampered), [], hostPath);
      try {
        const refusal = await murano.product.waitForStatus(identity, (s) => s.status === 'DOWNLOAD_ERROR', RUN_LIMIT_MS);
        assert.equal(refusal.message, `ED25519 signature does not verify with trusted key ${keyHash(vendor)}`);
      } finally {
        host.child.kill('SIGKILL');
        await hostExit(host, RUN_LIMIT_MS).catch(() => undefined);
      }
      const history = murano.product.statusHistory(identity).map((entry) => entry.document!);
      assert.ok(!history.some((d) => d.status === 'INSTALL'), JSON.stringify(history));
    });
  });
}
