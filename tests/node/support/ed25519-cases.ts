// Ed25519 cases shared by the verifier's tests (tests/node/ed25519.test.ts for the agent,
// boot-verifier.test.ts for the bootloader's translation): node:crypto (OpenSSL) as the oracle,
// the mutations each random signature gets, the encodings implementations disagree on, and
// RFC 8032's vectors.
import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";

export const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
export const P = 2n ** 255n - 19n;
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;

export function nodeVerdict(signature: Buffer, publicKey: Buffer, message: Buffer): boolean {
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: "der", type: "spki" });
    return verify(null, message, key, signature);
  } catch {
    return false; // a key OpenSSL will not even load verifies nothing
  }
}

export const toBytes = (value: bigint): Buffer => {
  const out = Buffer.alloc(32);
  for (let i = 0; i < 32; i++, value >>= 8n) out[i] = Number(value & 255n);
  return out;
};
export const toBigInt = (bytes: Buffer): bigint => bytes.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
const withSign = (bytes: Buffer): Buffer => { const out = Buffer.from(bytes); out[31] |= 0x80; return out; };

// Points of order 1, 2, 4 and 8 (y = 1, p - 1, 0 and the two order-8 y values), each with
// both sign bits, and non-canonical encodings y + p of y = 0..18 (y < 19 is what fits below 2^255).
export const SMALL_ORDER = [
  toBytes(1n), toBytes(P - 1n), toBytes(0n),
  Buffer.from("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", "hex"),
  Buffer.from("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "hex"),
].flatMap((point) => [point, withSign(point)]);
export const NON_CANONICAL = Array.from({ length: 19 }, (_, y) => toBytes(P + BigInt(y))).flatMap((point) => [point, withSign(point)]);

export function flipBit(bytes: Buffer, bit: number): Buffer {
  const out = Buffer.from(bytes);
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
}

export type Triple = { signature: Buffer; publicKey: Buffer; message: Buffer };
export const MUTATIONS: Array<[string, (t: Triple, pick: () => number) => Triple]> = [
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

/** `count` fresh signatures (a new key every 4, messages of 0-96 random bytes), each with one
 * mutation, the kinds of MUTATIONS in turn: the differential tests' common input. */
export function* signedAndMutated(count: number): Generator<{ index: number; kind: string; valid: Triple; mutated: Triple }> {
  let keys = generateKeyPairSync("ed25519");
  for (let index = 0; index < count; index++) {
    if (index % 4 === 0) keys = generateKeyPairSync("ed25519"); // fewer key generations keep the run short
    const publicKey = keys.publicKey.export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX.length);
    const message = randomBytes(index % 97);
    const valid = { signature: sign(null, message, keys.privateKey), publicKey, message };
    const [kind, mutate] = MUTATIONS[index % MUTATIONS.length];
    const pick = randomBytes(4).readUInt32LE();
    yield { index, kind, valid, mutated: mutate(valid, () => pick) };
  }
}

// RFC 8032 7.1: TEST 1, 2, 3 and TEST SHA(abc) (its message is SHA-512("abc")); the same as tests/agent/ed25519.spec.ts.
export const RFC8032_VECTORS = [
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

