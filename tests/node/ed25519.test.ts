// The agent's Ed25519 verifier (assembly/crypto/ed25519.ts, through the ed25519_verify
// export of build/agent.wasm) against node:crypto (OpenSSL) as the oracle: the same
// verdict on random valid signatures, on each kind of mutation, and on the encodings
// implementations are known to disagree on (small-order points, non-canonical values, S >= L).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AGENT_PATH, OTAU_HOST, OTAU_HOST_AOT } from "./support/otau-host.ts";
import { AgentInstance, DEFAULT_AGENT_PATH } from "../../firmware-sim/agent/agent-instance.ts";

const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const P = 2n ** 255n - 19n;
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function nodeVerdict(signature: Buffer, publicKey: Buffer, message: Buffer): boolean {
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" });
    return verify(null, message, key, signature);
  } catch {
    return false; // a key OpenSSL will not even load verifies nothing
  }
}

const toBytes = (value: bigint): Buffer => {
  const out = Buffer.alloc(32);
  for (let i = 0; i < 32; i++, value >>= 8n) out[i] = Number(value & 255n);
  return out;
};
const toBigInt = (bytes: Buffer): bigint => bytes.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
const withSign = (bytes: Buffer): Buffer => { const out = Buffer.from(bytes); out[31] |= 0x80; return out; };

// Points of order 1, 2, 4 and 8 (y = 1, p - 1, 0 and the two order-8 y values), each with
// both sign bits, and non-canonical encodings y + p of y = 0..18 (y < 19 is what fits below 2^255).
const SMALL_ORDER = [
  toBytes(1n), toBytes(P - 1n), toBytes(0n),
  Buffer.from("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", "hex"),
  Buffer.from("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "hex"),
].flatMap((point) => [point, withSign(point)]);
const NON_CANONICAL = Array.from({ length: 19 }, (_, y) => toBytes(P + BigInt(y))).flatMap((point) => [point, withSign(point)]);

function flipBit(bytes: Buffer, bit: number): Buffer {
  const out = Buffer.from(bytes);
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
}

type Triple = { signature: Buffer; publicKey: Buffer; message: Buffer };
const MUTATIONS: Array<[string, (t: Triple, pick: () => number) => Triple]> = [
  ["a bit of R flipped", (t, pick) => ({ ...t, signature: flipBit(t.signature, pick() % 256) })],
  ["a bit of S flipped", (t, pick) => ({ ...t, signature: flipBit(t.signature, 256 + (pick() % 256)) })],
  ["a bit of the key flipped", (t, pick) => ({ ...t, publicKey: flipBit(t.publicKey, pick() % 256) })],
  ["a bit of the message flipped", (t, pick) => (t.message.length === 0 ? { ...t, message: Buffer.from([pick() & 255]) } : { ...t, message: flipBit(t.message, pick() % (t.message.length * 8)) })],
  ["S + L in place of S", (t) => ({ ...t, signature: Buffer.concat([t.signature.subarray(0, 32), toBytes(toBigInt(t.signature.subarray(32)) + L)]) })],
  ["S at 2^256 - 1", (t) => ({ ...t, signature: Buffer.concat([t.signature.subarray(0, 32), Buffer.alloc(32, 0xff)]) })],
  ["a small-order key", (t, pick) => ({ ...t, publicKey: SMALL_ORDER[pick() % SMALL_ORDER.length] })],
  ["a small-order R", (t, pick) => ({ ...t, signature: Buffer.concat([SMALL_ORDER[pick() % SMALL_ORDER.length], t.signature.subarray(32)]) })],
  ["a non-canonical key", (t, pick) => ({ ...t, publicKey: NON_CANONICAL[pick() % NON_CANONICAL.length] })],
  ["a non-canonical R", (t, pick) => ({ ...t, signature: Buffer.concat([NON_CANONICAL[pick() % NON_CANONICAL.length], t.signature.subarray(32)]) })],
  ["R with its sign bit flipped", (t) => ({ ...t, signature: flipBit(t.signature, 255) })],
  ["a random key", (t) => ({ ...t, publicKey: randomBytes(32) })],
];

test("the agent's Ed25519 verdict equals node:crypto's on 10,000 random signatures and a mutation of each (every kind in turn)", async () => {
  const agent = await AgentInstance.load();
  const counts = new Map<string, { accepted: number; refused: number }>();
  const tally = (kind: string, verdict: boolean) => {
    const entry = counts.get(kind) ?? { accepted: 0, refused: 0 };
    if (verdict) entry.accepted++; else entry.refused++;
    counts.set(kind, entry);
  };
  let keys = generateKeyPairSync("ed25519");
  let publicKey = keys.publicKey.export({ format: "der", type: "spki" }).subarray(12);
  for (let i = 0; i < 10_000; i++) {
    if (i % 4 === 0) { // a new key every 4 triples keeps key generation out of the way
      keys = generateKeyPairSync("ed25519");
      publicKey = keys.publicKey.export({ format: "der", type: "spki" }).subarray(12);
    }
    const message = randomBytes(i % 97);
    const triple = { signature: sign(null, message, keys.privateKey), publicKey, message };
    assert.equal(agent.ed25519Verify(triple.signature, triple.publicKey, triple.message), true, `valid triple ${i}`);
    tally("valid", true);
    const [kind, mutate] = MUTATIONS[i % MUTATIONS.length];
    const randomPick = randomBytes(4);
    const mutated = mutate(triple, () => randomPick.readUInt32LE());
    const expected = nodeVerdict(mutated.signature, mutated.publicKey, mutated.message);
    const actual = agent.ed25519Verify(mutated.signature, mutated.publicKey, mutated.message);
    assert.equal(actual, expected, `${kind} (triple ${i}): signature ${mutated.signature.toString("hex")} key ${mutated.publicKey.toString("hex")} message ${mutated.message.toString("hex")}`);
    tally(kind, actual);
  }
  assert.equal(counts.get("valid")!.accepted, 10_000);
  for (const [kind] of MUTATIONS) assert.ok((counts.get(kind)?.refused ?? 0) > 0, `${kind}: some were refused`);
});

test("on small-order and non-canonical keys and R values with S = 0, 1 and random, the agent agrees with node:crypto (which accepts some)", async () => {
  const agent = await AgentInstance.load();
  const encodings = [...SMALL_ORDER, ...NON_CANONICAL];
  const message = Buffer.from("small-order cases");
  let accepted = 0;
  for (const key of encodings) {
    for (const r of encodings) {
      for (const s of [toBytes(0n), toBytes(1n), randomBytes(31)]) {
        const signature = Buffer.concat([r, s.length === 32 ? s : Buffer.concat([s, Buffer.alloc(1)])]);
        const expected = nodeVerdict(signature, key, message);
        assert.equal(agent.ed25519Verify(signature, key, message), expected, `key ${key.toString("hex")} R ${r.toString("hex")} S ${signature.subarray(32).toString("hex")}`);
        if (expected) accepted++;
      }
    }
  }
  // OpenSSL, like RFC 8032's cofactorless check, accepts e.g. the identity key with R = identity and S = 0.
  assert.ok(accepted > 0);
});

test("ed25519_verify refuses inputs past the I/O buffer's first 1024 bytes, its work area beyond (-1), and takes a message that just fits", async () => {
  const module = await WebAssembly.compile(await readFile(DEFAULT_AGENT_PATH));
  const env = Object.fromEntries(WebAssembly.Module.imports(module).map((entry) => [entry.name, () => 0]));
  const instance = await WebAssembly.instantiate(module, { env });
  const abi = instance.exports as Record<string, (...args: number[]) => number>;
  abi._start();
  const room = 1024 - 96;
  assert.equal(abi.ed25519_verify(room + 1), -1);
  assert.equal(abi.ed25519_verify(room), 0); // zeros: not a signature
});

// RFC 8032 7.1: TEST 1, 2, 3 and TEST SHA(abc) (its message is SHA-512("abc")); the same as tests/agent/ed25519.spec.ts.
const RFC8032_VECTORS = [
  ["d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"],
  ["3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"],
  ["fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
    "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"],
  ["ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"],
].map(([key, message, signature]) => ({ key: Buffer.from(key, "hex"), message: Buffer.from(message, "hex"), signature: Buffer.from(signature, "hex") }));

for (const [runtime, host] of [["wasm3", OTAU_HOST], ["aot", OTAU_HOST_AOT]] as const) {
  test(`under the ${runtime} host (otau-host ed25519) the RFC 8032 vectors verify and their bit-flipped variants do not, as node:crypto says`, () => {
    const dir = mkdtempSync(join(tmpdir(), "otau-ed25519-"));
    try {
      const file = join(dir, "case.bin");
      for (const [i, v] of RFC8032_VECTORS.entries()) {
        const cases = [v, { ...v, signature: flipBit(v.signature, 3) }, { ...v, signature: flipBit(v.signature, 300) }, { ...v, key: flipBit(v.key, 77) }];
        for (const [j, c] of cases.entries()) {
          writeFileSync(file, Buffer.concat([c.signature, c.key, c.message]));
          const verdict = execFileSync(host, ["ed25519", "--agent", AGENT_PATH, file], { encoding: "utf8" }).trim();
          assert.equal(verdict, nodeVerdict(c.signature, c.key, c.message) ? "valid" : "invalid", `vector ${i + 1}, case ${j}`);
          assert.equal(verdict, j === 0 ? "valid" : "invalid", `vector ${i + 1}, case ${j}`);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
