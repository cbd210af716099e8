// The bootloader's Ed25519 verifier: the agent's (assembly/crypto/ed25519.ts) translated to C
// by wasm2c (host/boot/boot_image_check.c), driven by boot-verify. Held to node:crypto
// (OpenSSL) on RFC 8032's vectors and on random signatures with the same mutations the
// agent's differential test makes (support/ed25519-cases.ts), in one process per batch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { MUTATIONS, NON_CANONICAL, RFC8032_VECTORS, SMALL_ORDER, flipBit, nodeVerdict, signedAndMutated, toBytes } from "./support/ed25519-cases.ts";
import type { Triple } from "./support/ed25519-cases.ts";

const BOOT_VERIFY = fileURLToPath(new URL("../../build/host/boot-verify", import.meta.url));

/** boot-verify's verdict on each triple, in order. */
function bootVerify(triples: Triple[]): string[] {
  const input = triples.map((t) => `${t.signature.toString("hex")} ${t.publicKey.toString("hex")} ${t.message.toString("hex")}\n`).join("");
  const run = spawnSync(BOOT_VERIFY, ["ed25519"], { input, encoding: "utf8", maxBuffer: 1 << 24 });
  assert.equal(run.status, 0, run.stderr);
  const verdicts = run.stdout.trim().split("\n");
  assert.equal(verdicts.length, triples.length, "one verdict per line");
  return verdicts;
}

const expected = (t: Triple): string => (nodeVerdict(t.signature, t.publicKey, t.message) ? "valid" : "invalid");

test("the bootloader's C verifier: RFC 8032 7.1 vectors verify and their bit-flipped variants do not, as node:crypto says", () => {
  const cases = RFC8032_VECTORS.flatMap((v) => {
    const t = { signature: v.signature, publicKey: v.key, message: v.message };
    return [t, { ...t, signature: flipBit(t.signature, 3) }, { ...t, signature: flipBit(t.signature, 300) }, { ...t, publicKey: flipBit(t.publicKey, 77) }];
  });
  const verdicts = bootVerify(cases);
  cases.forEach((c, i) => {
    assert.equal(verdicts[i], expected(c), `vector ${(i >> 2) + 1}, case ${i % 4}`);
    assert.equal(verdicts[i], i % 4 === 0 ? "valid" : "invalid", `vector ${(i >> 2) + 1}, case ${i % 4}`);
  });
});

test("the bootloader's C verifier gives node:crypto's verdict on 1,500 random signatures and a mutation of each (every kind in turn)", () => {
  const triples: Triple[] = [];
  const kinds: string[] = [];
  for (const { kind, valid, mutated } of signedAndMutated(1_500)) {
    triples.push(valid, mutated);
    kinds.push("valid", kind);
  }
  const verdicts = bootVerify(triples);
  const refused = new Set<string>();
  triples.forEach((t, i) => {
    assert.equal(verdicts[i], expected(t), `${kinds[i]} (line ${i + 1}): signature ${t.signature.toString("hex")} key ${t.publicKey.toString("hex")} message ${t.message.toString("hex")}`);
    if (verdicts[i] === "invalid") refused.add(kinds[i]);
  });
  assert.ok(!refused.has("valid"), "every unmutated signature verifies");
  for (const [kind] of MUTATIONS) assert.ok(refused.has(kind), `${kind}: some were refused`);
});

test("on small-order and non-canonical keys and R values the bootloader's C verifier agrees with node:crypto (which accepts some)", () => {
  const encodings = [...SMALL_ORDER, ...NON_CANONICAL];
  const message = Buffer.from("small-order cases");
  const triples: Triple[] = [];
  for (const publicKey of encodings) {
    for (const r of encodings) {
      for (const s of [toBytes(0n), toBytes(1n)]) triples.push({ signature: Buffer.concat([r, s]), publicKey, message });
    }
  }
  const verdicts = bootVerify(triples);
  triples.forEach((t, i) => assert.equal(verdicts[i], expected(t), `key ${t.publicKey.toString("hex")} R ${t.signature.subarray(0, 32).toString("hex")}`));
  assert.ok(verdicts.includes("valid"), "node:crypto and the verifier accept some (cofactorless, RFC 8032)");
});

test("boot-verify refuses a message past the verifier's 928-byte input ('error') and takes one that just fits", () => {
  const zero = { signature: Buffer.alloc(64), publicKey: Buffer.alloc(32) };
  assert.deepEqual(bootVerify([{ ...zero, message: Buffer.alloc(928) }, { ...zero, message: Buffer.alloc(929) }]), ["invalid", "error"]);
});
