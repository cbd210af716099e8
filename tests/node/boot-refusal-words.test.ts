// A bootloader refusal reaches the cloud in the C bootloader's words: the record keeps only the
// refusal's code (slot entry byte 3, docs/boot-record.md), and the agent names it at start-up
// (assembly/image/problem.ts sayBootRefusal). Held here to the C bootloader's own list
// (host/boot/boot_image_text.c, printed by `boot-verify refusals`), code by code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SlotState, placeRecordCopy } from '../../firmware-sim/flash/boot-record.ts';
import { Device, norFlash } from './support/engine-device.ts';

const BOOT_VERIFY = fileURLToPath(new URL('../../build/host/boot-verify', import.meta.url));

/** The C bootloader's words for each refusal code it names. */
function cWords(): Map<number, string> {
  const run = spawnSync(BOOT_VERIFY, ['refusals'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return new Map(run.stdout.trim().split('\n').map((line) => {
    const space = line.indexOf(' ');
    return [Number(line.slice(0, space)), line.slice(space + 1)];
  }));
}

/** What the agent reports at start-up after the bootloader refused 2.0.0 in slot B with `code`. */
async function agentReport(code: number): Promise<string> {
  const flash = norFlash();
  const digest = new Uint8Array(32);
  placeRecordCopy(flash, 0, {
    sequence: 7, active: 1, trial: 0, attempts: 0, booted: false,
    slots: [{ state: SlotState.Confirmed, size: 1000, digest, version: '1.0.0' },
      { state: SlotState.Failed, size: 2000, digest, version: '2.0.0', failure: { cause: 1, problem: code } }],
  });
  const device = await Device.start(flash);
  const error = device.statuses.find((s) => s.status === 'INSTALL_ERROR');
  assert.ok(error, JSON.stringify(device.statuses));
  return error.message;
}

test('the agent names every refusal code of the C bootloader in its words, and no code the C bootloader does not name', async () => {
  const words = cWords();
  assert.ok(words.size >= 27, `boot-verify refusals listed ${words.size} codes`);
  for (const [code, reason] of words) {
    assert.equal(await agentReport(code), `version 2.0.0 was refused by the bootloader: ${reason}; rolled back to 1.0.0`, `code ${code}`);
  }
  const past = Math.max(...[...words.keys()].filter((code) => code < 64)) + 1;
  assert.equal(await agentReport(past), `version 2.0.0 was refused by the bootloader: refusal code ${past}; rolled back to 1.0.0`,
    'a code the C bootloader does not name is not named by the agent either');
});

test('a rollback without a recorded refusal (a record written before the cause existed) is reported as before', async () => {
  const flash = norFlash();
  const digest = new Uint8Array(32);
  placeRecordCopy(flash, 0, {
    sequence: 7, active: 1, trial: 0, attempts: 0, booted: false,
    slots: [{ state: SlotState.Confirmed, size: 1000, digest, version: '1.0.0' }, { state: SlotState.Failed, size: 2000, digest, version: '2.0.0' }],
  });
  const device = await Device.start(flash);
  assert.equal(device.statuses.find((s) => s.status === 'INSTALL_ERROR')?.message,
    'version 2.0.0 was not confirmed healthy within 3 boots; rolled back to 1.0.0');
});
