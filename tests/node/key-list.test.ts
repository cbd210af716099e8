// Signed key-list updates (trust_update; assembly/image/key_list.ts): a new list of trusted
// keys is accepted only when signed by a key the device trusts and newer than the list in
// force, and survives a power cut at any flash operation of its write (old list or new, never
// neither). Lists signed by MCUboot's real imgtool.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readTrustStore } from "../../firmware-sim/flash/trust-store.ts";
import { PowerLoss } from "../../firmware-sim/flash/nor-flash.ts";
import { keyListBody, readEd25519PublicKey } from "../../firmware-sim/image/mcuboot-image.ts";
import { Device } from "./support/engine-device.ts";
import { imgtoolKeygen, imgtoolSign } from "./support/imgtool.ts";
import { body2, installed, offer, signedDeviceFlash, vendor, vendorKey } from "./support/signed-device.ts";

const successor = imgtoolKeygen();
const successorKey = readEd25519PublicKey(readFileSync(successor.publicPem));
const attacker = imgtoolKeygen();

/** A key list signed by imgtool with `key`: the vendor hands over to `successor`. */
function keyList(generation: number, keys: Uint8Array[], key = vendor): Buffer {
  return imgtoolSign(keyListBody(generation, keys), { version: "0.0.0", key });
}

const handover = keyList(1, [successorKey]);

test("a key list signed by a trusted key replaces the keys: the revoked key's images are refused, the new key's install", async () => {
  const flash = signedDeviceFlash([vendorKey]);
  const device = await Device.start(flash);
  assert.equal(device.agent.trustUpdate(handover), 0);
  assert.match(device.logs.at(-1)!, /^key list generation 1 signed by trusted key [0-9a-f]{16} accepted: 1 key trusted$/);
  const store = readTrustStore(flash)!;
  assert.equal(store.generation, 1);
  assert.deepEqual(store.keys.map((k) => Buffer.from(k).toString("hex")), [successorKey.toString("hex")]);
  const revoked = await offer(imgtoolSign(body2, { version: "2.0.0", key: vendor }), "2.0.0", { flash });
  assert.match(revoked.last().message, /which this device does not trust$/);
  const fresh = signedDeviceFlash([vendorKey]);
  assert.equal((await Device.start(fresh)).agent.trustUpdate(handover), 0);
  assert.ok(installed(await offer(imgtoolSign(body2, { version: "2.0.0", key: successor }), "2.0.0", { flash: fresh })));
});

test("a key list signed by an untrusted key, a replayed or older one, a tampered one and a malformed body are refused, and the keys stay", async () => {
  const flash = signedDeviceFlash([vendorKey]);
  const device = await Device.start(flash);
  const refusals: Array<[string, Uint8Array, RegExp]> = [
    ["attacker", keyList(5, [successorKey], attacker), /^key list refused: image is signed by key [0-9a-f]{64} \(KEYHASH\)/],
    ["generation 0", keyList(0, [successorKey]), /^key list refused: its generation 0 is not newer than the one in force, 0$/],
    ["no keys", keyList(3, []), /^key list refused: its body is not a key list/],
    ["five keys", keyList(3, [vendorKey, vendorKey, vendorKey, vendorKey, vendorKey]), /^key list refused: its body is not a key list/],
    ["firmware", imgtoolSign(body2.subarray(0, 200), { version: "2.0.0", key: vendor }), /^key list refused: its body is not a key list/],
    ["tampered", (() => { const t = Buffer.from(handover); t[0x200 + 20] ^= 1; return t; })(), /^key list refused: image hash read back from flash is/],
    ["short", handover.subarray(0, 10), /^key list refused: it is 10 bytes, shorter than an MCUboot header$/],
  ];
  for (const [what, list, message] of refusals) {
    assert.equal(device.agent.trustUpdate(list), -3, what);
    assert.match(device.logs.at(-1)!, message, what);
  }
  assert.equal(device.agent.trustUpdate(Buffer.concat([handover, Buffer.alloc(1025 - handover.length)])), -1, "longer than 1024 bytes");
  assert.equal(readTrustStore(flash)!.generation, 0);
  // A list that keeps the vendor's key: replaying it, still signed by a trusted key, is refused for its generation.
  const rotation = keyList(1, [vendorKey, successorKey]);
  assert.equal(device.agent.trustUpdate(rotation), 0);
  assert.equal(device.agent.trustUpdate(rotation), -3, "replayed");
  assert.match(device.logs.at(-1)!, /generation 1 is not newer than the one in force, 1$/);
});

test("a device without keys cannot take a key list (-2): trust is provisioned, not bootstrapped over the air", async () => {
  const device = await Device.start(signedDeviceFlash([]));
  assert.equal(device.agent.trustUpdate(handover), -2);
  assert.match(device.logs.at(-1)!, /this device trusts no key that could authorise it/);
});

test("a power cut at any flash operation of a key-list write leaves the old list or the new one in force, never neither", async () => {
  const outcomes = new Set<string>();
  for (let at = 0; ; at++) {
    let cutHappened = false;
    for (const kind of ["before", "after", "torn"] as const) {
      const flash = signedDeviceFlash([vendorKey]);
      const device = await Device.start(flash);
      flash.cutAt({ at: flash.operations + at, kind });
      try {
        device.agent.trustUpdate(handover);
      } catch (error) {
        if (!(error instanceof PowerLoss)) throw error;
        cutHappened = true;
      }
      flash.clearCut();
      const store = readTrustStore(flash);
      assert.ok(store, `cut ${kind} at operation ${at}: no trust store left`);
      const keys = store.keys.map((k) => Buffer.from(k).toString("hex")).join();
      assert.ok(
        (store.generation === 0 && keys === vendorKey.toString("hex")) || (store.generation === 1 && keys === successorKey.toString("hex")),
        `cut ${kind} at operation ${at}: generation ${store.generation}, keys ${keys}`,
      );
      // After the reboot the agent reads the same list.
      const rebooted = await Device.start(flash);
      const image = imgtoolSign(body2, { version: "2.0.0", key: store.generation === 0 ? vendor : successor });
      assert.ok(installed(await offer(image, "2.0.0", { flash })), `cut ${kind} at operation ${at}: the list in force is used`);
      void rebooted;
      outcomes.add(String(store.generation));
    }
    if (!cutHappened) break;
  }
  assert.deepEqual([...outcomes].sort(), ["0", "1"]);
});
