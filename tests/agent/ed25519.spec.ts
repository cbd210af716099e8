// Ed25519 verification (RFC 8032 7.1 test vectors) and the SHA-512 under it (FIPS 180-2
// examples), in AssemblyScript as the agent runs them. tests/node/ed25519.test.ts holds the
// verifier to node:crypto on random and malformed signatures.
import { ED25519_SCRATCH_SIZE, ed25519Verify } from "../../assembly/crypto/ed25519";
import { IO_BUFFER_SIZE, SCRATCH_ED25519, SCRATCH_END, SCRATCH_HASHING, ioBuffer } from "../../assembly/io";
import { sha512Final, sha512Init, sha512Update } from "../../assembly/crypto/sha512";

const signature = memory.data(64);
const publicKey = memory.data(32);
const message = memory.data(1024);
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

// RFC 8032 7.1: TEST 1, 2, 3, TEST 1024 (a 1023-byte message) and TEST SHA(abc) (the message is SHA-512("abc")).
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
  new Vector("TEST 1024 (1023 bytes)",
    "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
    "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1" +
      "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d" +
      "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a" +
      "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e" +
      "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10" +
      "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1" +
      "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d" +
      "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270" +
      "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b" +
      "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba" +
      "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b" +
      "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7" +
      "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d" +
      "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df" +
      "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7" +
      "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4" +
      "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09" +
      "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f" +
      "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161" +
      "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d" +
      "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca" +
      "c60c905c15fc910840b94c00a0b9d0",
    "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"),
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
