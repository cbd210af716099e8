// Ed25519 verification (RFC 8032 7.1 test vectors) and the SHA-512 under it (FIPS 180-2
// examples), in AssemblyScript as the agent runs them. tests/node/ed25519.test.ts holds the
// verifier to node:crypto on random and malformed signatures.
import { ED25519_SCRATCH_SIZE, ed25519Verify } from "../../assembly/crypto/ed25519";
import { IO_BUFFER_SIZE, SCRATCH_ED25519, SCRATCH_END, SCRATCH_HASHING, ioBuffer } from "../../assembly/io";
import { sha512Final, sha512Init, sha512Update } from "../../assembly/crypto/sha512";

const signature = memory.data(64);
const publicKey = memory.data(32);
const message = memory.data(128);
const digest = memory.data(64);

function unhex(out: usize, hex: string): usize {
  for (let i = 0; i < hex.length; i += 2) store<u8>(out + <usize>(i >> 1), <u8>I32.parseInt(hex.substr(i, 2), 16));
  return <usize>(hex.length >> 1);
}

function hex(ptr: usize, len: usize): string {
  let out = "";
  for (let i: usize = 0; i < len; i++) {
    const b = load<u8>(ptr + i);
    out += "0123456789abcdef".charAt(b >> 4) + "0123456789abcdef".charAt(b & 15);
  }
  return out;
}

function sha512Text(text: string, step: i32): string {
  const bytes = String.UTF8.encode(text);
  const base = changetype<usize>(bytes);
  sha512Init();
  for (let at = 0; at < bytes.byteLength; at += step) sha512Update(base + <usize>at, <usize>min(step, bytes.byteLength - at));
  sha512Final(digest);
  return hex(digest, 64);
}

class Vector {
  constructor(public name: string, public publicKey: string, public message: string, public signature: string) {}
}

// RFC 8032 7.1: TEST 1, 2, 3 and TEST SHA(abc) (the message is SHA-512("abc")).
const VECTORS: Vector[] = [
  new Vector("TEST 1 (empty message)",
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
  new Vector("TEST 2 (one byte)",
    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
  new Vector("TEST 3 (two bytes)",
    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
    "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
  new Vector("TEST SHA(abc) (64 bytes)",
    "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"),
];

function loadVector(v: Vector): usize {
  unhex(publicKey, v.publicKey);
  unhex(signature, v.signature);
  return unhex(message, v.message);
}

describe("the verifier's working memory", () => {
  it("fits its region of the I/O buffer's work area, which ends inside the buffer", () => {
    expect(SCRATCH_ED25519 + ED25519_SCRATCH_SIZE <= SCRATCH_HASHING).toBe(true);
    expect(SCRATCH_END <= ioBuffer + <usize>IO_BUFFER_SIZE).toBe(true);
  });
});

describe("SHA-512 (FIPS 180-2 examples)", () => {
  it("hashes the empty string, \"abc\" and the two-block example whole and a byte at a time", () => {
    const empty = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
    const abc = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
    const twoBlock = "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909";
    const long = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    for (let step = 1; step <= 200; step += 199) {
      expect(sha512Text("", step)).toBe(empty);
      expect(sha512Text("abc", step)).toBe(abc);
      expect(sha512Text(long, step)).toBe(twoBlock);
    }
  });
});

describe("Ed25519 verification (RFC 8032 7.1)", () => {
  it("accepts every test vector", () => {
    for (let i = 0; i < VECTORS.length; i++) {
      const v = VECTORS[i];
      const len = loadVector(v);
      expect(ed25519Verify(signature, publicKey, message, len)).toBe(true, v.name);
    }
  });

  it("refuses each vector with one bit flipped in R, in S, in the key or in the message", () => {
    for (let i = 0; i < VECTORS.length; i++) {
      const v = VECTORS[i];
      const len = loadVector(v);
      for (let bit = 0; bit < 256; bit += 37) {
        const at = <usize>(bit >> 3);
        const mask = <u8>(1 << <u8>(bit & 7));
        store<u8>(signature + at, load<u8>(signature + at) ^ mask);
        expect(ed25519Verify(signature, publicKey, message, len)).toBe(false, v.name + " R bit " + bit.toString());
        store<u8>(signature + at, load<u8>(signature + at) ^ mask);
        store<u8>(signature + 32 + at, load<u8>(signature + 32 + at) ^ mask);
        expect(ed25519Verify(signature, publicKey, message, len)).toBe(false, v.name + " S bit " + bit.toString());
        store<u8>(signature + 32 + at, load<u8>(signature + 32 + at) ^ mask);
        store<u8>(publicKey + at, load<u8>(publicKey + at) ^ mask);
        expect(ed25519Verify(signature, publicKey, message, len)).toBe(false, v.name + " key bit " + bit.toString());
        store<u8>(publicKey + at, load<u8>(publicKey + at) ^ mask);
      }
      if (len > 0) {
        store<u8>(message, load<u8>(message) ^ 1);
        expect(ed25519Verify(signature, publicKey, message, len)).toBe(false, v.name + " message");
      }
    }
  });

  it("refuses S + L in place of S (the same point, a malleated signature)", () => {
    const len = loadVector(VECTORS[0]);
    // S + L, added little-endian byte by byte (TEST 1's S + L stays below 2^256).
    const order = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
    let carry: u32 = 0;
    for (let i = 0; i < 32; i++) {
      const sum = <u32>load<u8>(signature + 32 + <usize>i) + <u32>I32.parseInt(order.substr(i * 2, 2), 16) + carry;
      store<u8>(signature + 32 + <usize>i, <u8>sum);
      carry = sum >> 8;
    }
    expect(carry).toBe(0);
    expect(ed25519Verify(signature, publicKey, message, len)).toBe(false);
  });
});
