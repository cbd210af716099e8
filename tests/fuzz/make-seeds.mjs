// Writes the committed seed corpus of the fuzz harness (tests/fuzz/corpus/): one input per
// path worth starting from, in the encoding of tests/fuzz/fuzz_agent.c (header byte, device
// byte, then opcode bytes with their arguments). Run again after changing the encoding:
//   node tests/fuzz/make-seeds.mjs
// The signed seeds carry images and key lists signed by MCUboot's imgtool (.venv/bin/imgtool,
// installed by npm install) with keys it makes for this run: the seeds are the test data.
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OP = { CONFIG: 0, RESPONSE: 1, DATA: 2, DATA_RAW: 3, DATA_END: 4, TICK: 5, POWER: 6, FAULT: 7, HEALTHY: 8, RUN: 9, RESEND: 10, RAW: 11, IMAGE: 12, TRUST_UPDATE: 13 };
const TPL = { SHA256: 0x01, WRONG_SHA: 0x02, SIZE: 0x04, LIST: 2 << 3, JSON: 3 << 3, OTAU_INFO: 0x20, OLD: 0x40, SIZE_OFF: 0x80 };
// Header: sector 1 KiB (bit 0 clear) or 4 KiB, write alignment index in bits 1-2, erased 0x00
// (bit 3), Kaa (bit 4), RequireDigest (5), AllowDowngrade (6), apply_json refuses (7).
// Device byte: MaxAttempts - 1 in bits 0-2, TrialBoots - 1 in bits 3-4, factory size known (5),
// a trust store (6: then a key count 0-4 and the keys follow, and IMAGE and TRUST_UPDATE exist).
const u16 = (n) => [n >> 8, n & 0xff];
/** A FILE config of `size` bytes with digest and size, version 1.<v>. */
const config = (v, size, flags = TPL.SHA256 | TPL.SIZE, seed = 7) => [OP.CONFIG, v, flags, ...u16(size), seed];
const raw = (source, text) => {
  const bytes = Buffer.from(text, 'utf8');
  return [OP.RAW, source, ...u16(bytes.length), ...bytes];
};

const work = mkdtempSync(join(tmpdir(), 'otau-fuzz-seeds-'));
const imgtool = (...args) => execFileSync(fileURLToPath(new URL('../../.venv/bin/imgtool', import.meta.url)), args, { stdio: ['ignore', 'pipe', 'pipe'] });
let files = 0;
/** A new Ed25519 key made by imgtool: its PEM file and its 32 raw public-key bytes. */
function keygen() {
  const pem = join(work, `key${++files}.pem`);
  imgtool('keygen', '-k', pem, '-t', 'ed25519');
  return { pem, raw: [...createPublicKey(readFileSync(pem)).export({ type: 'spki', format: 'der' }).subarray(-32)] };
}
/** `imgtool sign` of `body` (unsigned, hash only, without a key). */
function sign(body, version, key, securityCounter) {
  const input = join(work, `body${++files}.bin`);
  const output = join(work, `signed${files}.bin`);
  writeFileSync(input, Buffer.from(body));
  const args = ['sign', '--header-size', '0x200', '--pad-header', '--align', '4', '--version', version, '-S', '8192'];
  if (key) args.push('-k', key.pem);
  if (securityCounter !== undefined) args.push('--security-counter', String(securityCounter));
  imgtool(...args, input, output);
  return [...readFileSync(output)];
}
const firmware = (n) => Array.from({ length: 300 }, (_, i) => (i * 31 + n) & 0xff);
/** A key-list update (docs/abi.md "Signed key-list updates"): "OTAUKEYS", generation, count, keys. */
function keyList(generation, keys, signer) {
  const fixed = Buffer.alloc(16);
  fixed.write('OTAUKEYS', 0, 'ascii');
  fixed.writeUInt32LE(generation, 8);
  fixed.writeUInt32LE(keys.length, 12);
  return sign([...fixed, ...keys.flatMap((key) => key.raw)], '0.0.0', signer);
}
const [vendor, successor, attacker] = [keygen(), keygen(), keygen()];
/** A device with a trust store holding `keys`: 1 KiB sectors, 4-byte writes, factory size known. */
const signedDevice = (keys, header = 0x02) => [header, 0x60, keys.length, ...keys.flatMap((key) => key.raw)];
const image = (bytes, flags = TPL.SHA256 | TPL.SIZE) => [OP.IMAGE, flags, ...u16(bytes.length), ...bytes];
const trustUpdate = (bytes) => [OP.TRUST_UPDATE, ...u16(bytes.length), ...bytes];

const seeds = {
  'update-confirmed': [0x02, 0x22, ...config(0x11, 3000), OP.RUN, OP.HEALTHY],
  'update-4k-sectors-align8-erased00': [0x0d, 0x22, ...config(0x12, 9000), OP.RUN, OP.HEALTHY],
  'url-list-three-files': [0x02, 0x20, OP.CONFIG, 0x14, TPL.SHA256 | TPL.SIZE | TPL.LIST, 2, ...u16(1500), 1, ...u16(700), 2, ...u16(2048), 3, OP.RUN, OP.RUN, OP.RUN, OP.HEALTHY],
  'kaa-update': [0x12, 0x20, ...config(0x15, 2500), OP.RUN, OP.HEALTHY],
  'otau-info-update': [0x02, 0x20, ...config(0x16, 2000, TPL.SHA256 | TPL.SIZE | TPL.OTAU_INFO), OP.RUN, OP.HEALTHY],
  'json-payload': [0x02, 0x20, ...config(0x17, 0, TPL.JSON)],
  'wrong-digest-refused': [0x02, 0x20, ...config(0x18, 3000, TPL.SHA256 | TPL.SIZE | TPL.WRONG_SHA), OP.RUN, OP.TICK, 60, OP.RUN],
  'trial-never-confirmed-rolls-back': [0x02, 0x08, ...config(0x19, 3000), OP.RUN, OP.POWER, OP.POWER, OP.POWER],
  'resume-after-power-cut': [0x02, 0x20, ...config(0x1a, 6000), OP.RESPONSE, 0, OP.DATA, ...u16(4096), OP.POWER, OP.RESEND, OP.RUN, OP.HEALTHY],
  'stall-then-retry': [0x02, 0x22, ...config(0x1b, 5000), OP.RESPONSE, 0, OP.DATA, ...u16(2048), OP.TICK, 200, OP.TICK, 40, OP.RUN, OP.HEALTHY],
  'lying-206-and-ignored-range': [0x02, 0x23, ...config(0x1c, 6000), OP.RESPONSE, 0, OP.DATA, ...u16(4096), OP.DATA_END, 0, OP.TICK, 40, OP.RESPONSE, 2, OP.DATA, ...u16(3000), OP.DATA_END, 1, OP.TICK, 60, OP.RESPONSE, 1, OP.DATA, ...u16(6000), OP.DATA_END, 1],
  'server-errors-and-bad-totals': [0x02, 0x24, ...config(0x1d, 4000), OP.RESPONSE, 4, 1, OP.TICK, 40, OP.RESPONSE, 5, 3, OP.TICK, 60, OP.RESPONSE, 6, OP.DATA, ...u16(4200), OP.DATA_END, 1],
  'newer-config-mid-download': [0x02, 0x20, ...config(0x1e, 6000), OP.RESPONSE, 0, OP.DATA, ...u16(4096), ...config(0x1f, 3000), OP.RUN, OP.HEALTHY],
  'flash-fault-refused-write': [0x02, 0x21, OP.FAULT, 6, 0, ...config(0x21, 5000), OP.RUN, OP.TICK, 40, OP.RUN, OP.HEALTHY],
  'power-cut-in-a-write': [0x02, 0x21, ...config(0x22, 5000), OP.FAULT, 9, 128, OP.RUN, OP.RESEND, OP.RUN, OP.HEALTHY],
  'power-cut-in-an-erase': [0x02, 0x21, ...config(0x23, 5000), OP.FAULT, 1, 100, OP.RUN, OP.RESEND, OP.RUN, OP.HEALTHY],
  'downgrade-refused': [0x02, 0x20, ...config(0x24, 3000, TPL.SHA256 | TPL.SIZE | TPL.OLD), OP.RUN],
  'no-digest-required': [0x22, 0x20, ...config(0x25, 3000, TPL.SIZE), OP.RUN],
  // The deepest documents the agent takes (16 levels) and one level past it: the stack floor.
  'deep-documents': [0x02, 0x20,
    ...raw(0, `{"version":"1.3.0","name":"x","type":"JSON","payload":${'{"a":'.repeat(14)}[1]${'}'.repeat(14)}}`),
    ...raw(0, `{"version":"1.3.1","name":"x","type":"JSON","payload":${'['.repeat(16)}${']'.repeat(16)}}`),
    ...raw(1, encodeURIComponent(`{"config_otau":{"version":"1.3.2","name":"x","type":"JSON","payload":${'{"b":'.repeat(13)}0${'}'.repeat(13)}}}`)),
    OP.POWER, ...raw(2, `{"configId":"1.3.3","config":{"link":"http://fw.example/x","extra":${'['.repeat(14)}${']'.repeat(14)}}}`)],
  'raw-documents': [0x02, 0x20,
    ...raw(0, '{"version":"2.0.0","name":"x","type":"FILE","payload":"http://fw.example/a","version":"2.0.1"}'),
    ...raw(1, '%7B%22config_otau%22%3A%7B%7D%7D'),
    ...raw(2, '{"statusCode":404,"reasonPhrase":"no such endpoint"}'),
    ...raw(0, '{"version":"1.2.3\\u0000","name":"x","type":"FILE","payload":"ftp://x"}')],

  // Once a defect (issue 11 item 1): 1025 bytes = one 1 KiB sector + 1, 4-byte writes: DOWNLOAD_ERROR "flash
  // error while verifying the slot: more data than the expected size" with no fault injected.
  'image-size-sector-plus-one': [0x02, 0x20, ...config(0x13, 1025), OP.RUN, OP.HEALTHY],
  // Once a defect found by the campaign: the flash write that confirms a trial fails (INSTALL_ERROR "flash
  // error while confirming the trial image"); the agent then leaves the trial state, accepts
  // the next config (without a size: TEST_STEP "checked ... against slot B of 0 bytes",
  // TEST_SUCCESS; with one: TEST_ERROR "does not fit slot B of 0 bytes") and fails
  // it with DOWNLOAD_ERROR "flash error while preparing the slot: slot holds the running or
  // fallback image", a flash error no flash reported. Now it stays on trial: the same config
  // gets TEST_ERROR "version ... is on trial boot".
  // Found by the campaign, an oracle's mistake: after a trial is confirmed, the next update
  // rightly overwrites the old slot in the same boot; the oracle had kept it protected.
  'confirmed-then-update-into-old-slot': [0x02, 0x20, 0x00, 0x13, 0x05, 0x04, 0x01, 0x07, 0x09, 0x22, 0x6c, 0x69, 0x6e, 0x6b, 0x02, 0x20, 0x00, 0x14, 0x29, 0x4c, 0x45, 0x22, 0x46, 0x49, 0x4c, 0x45, 0x22, 0x02, 0x05, 0xdc, 0x01, 0x02, 0xbc, 0x02, 0x08, 0x22, 0x55, 0x52, 0x4c, 0x53, 0x22, 0x02, 0x20, 0x00, 0x13, 0x05, 0x04, 0xff, 0x03, 0x09, 0x09, 0x01, 0xf9, 0xdf, 0xff, 0xed, 0x15, 0x02, 0x05, 0xdc, 0x01, 0x02, 0x09, 0x09, 0x08, 0x08, 0x22, 0x3a, 0x08],
  'failed-confirm-then-update': [0x02, 0x20, ...config(0x11, 2000), OP.RUN, OP.FAULT, 0, 0, OP.HEALTHY, ...config(0x12, 2000, TPL.SHA256)],
};

Object.assign(seeds, {
  'signed-update': [...signedDevice([vendor]), ...image(sign(firmware(1), '1.2.0', vendor)), OP.RUN, OP.HEALTHY],
  // The image's own SHA256 TLV and signature check it: the config needs no digest.
  'signed-update-without-digest': [...signedDevice([vendor]), ...image(sign(firmware(2), '1.2.1', vendor), TPL.SIZE), OP.RUN, OP.HEALTHY],
  'signed-kaa-update': [...signedDevice([vendor], 0x12), ...image(sign(firmware(3), '1.2.2', vendor)), OP.RUN, OP.HEALTHY],
  'signed-by-untrusted-key-refused': [...signedDevice([vendor]), ...image(sign(firmware(4), '1.2.3', attacker)), OP.RUN, OP.POWER],
  'unsigned-image-refused': [...signedDevice([vendor]), ...image(sign(firmware(5), '1.2.4')), OP.RUN, OP.POWER],
  // Confirmed with security counter 5; an image with counter 4 is then refused.
  'security-counter-recorded': [...signedDevice([vendor]), ...image(sign(firmware(6), '1.3.0', vendor, 5)), OP.RUN, OP.HEALTHY,
    ...image(sign(firmware(7), '1.4.0', vendor, 4)), OP.RUN, OP.POWER],
  // The vendor hands over to a successor key: its images install, the vendor's no longer do.
  'key-list-handover': [...signedDevice([vendor]), ...trustUpdate(keyList(1, [successor], vendor)),
    ...image(sign(firmware(8), '1.5.0', successor)), OP.RUN, OP.HEALTHY, ...image(sign(firmware(9), '1.6.0', vendor)), OP.RUN, OP.POWER],
  'key-list-refused-attacker-and-replay': [...signedDevice([vendor, successor]), ...trustUpdate(keyList(2, [attacker], attacker)),
    ...trustUpdate(keyList(1, [successor], vendor)), ...trustUpdate(keyList(1, [vendor], successor)), OP.POWER],
  // A power cut in the trust store's write: the old list or the new one, never neither.
  'key-list-power-cut': [...signedDevice([vendor]), OP.FAULT, 3, 100, ...trustUpdate(keyList(1, [successor, vendor], vendor)),
    ...trustUpdate(keyList(1, [successor, vendor], vendor)), OP.POWER],
  // A trust store without keys: images install as unsigned ones do, their digest the check.
  'no-keys-takes-signed-image': [...signedDevice([]), ...image(sign(firmware(10), '1.2.5', vendor)), OP.RUN, OP.HEALTHY,
    ...trustUpdate(keyList(1, [vendor], vendor))],
});
rmSync(work, { recursive: true });

function write(folder, inputs) {
  const dir = fileURLToPath(new URL(`./${folder}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) rmSync(dir + name);
  for (const [name, bytes] of Object.entries(inputs)) writeFileSync(dir + name, Buffer.from(bytes));
  console.log(`make-seeds: ${Object.keys(inputs).length} inputs in tests/fuzz/${folder}/`);
}
write('corpus', seeds);
