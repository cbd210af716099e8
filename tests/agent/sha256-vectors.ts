// The SHA-256 vectors every path of the agent's hash is held to (FIPS 180-2, and chunkings):
// the AssemblyScript one (sha256.spec.ts) and a host's native one (sha256-native.spec.ts).
// tests/host/test_agent_sha256.c holds the C host's native hash to the same vectors.
import {
  SHA256_CONTEXT_SIZE, SHA256_DIGEST_SIZE, sha256Final, sha256Init, sha256Update,
} from "../../assembly/crypto/sha256";

const ctx = memory.data(<i32>SHA256_CONTEXT_SIZE, 8);
const digest = memory.data(<i32>SHA256_DIGEST_SIZE);
const chunk = memory.data(4096);

function hex(ptr: usize, len: usize): string {
  let out = "";
  for (let i: usize = 0; i < len; i++) {
    const b = load<u8>(ptr + i);
    out += "0123456789abcdef".charAt(b >> 4) + "0123456789abcdef".charAt(b & 15);
  }
  return out;
}

/** Hashes an ASCII string fed `step` bytes at a time; the digest in hex. */
export function hashText(text: string, step: i32): string {
  const bytes = String.UTF8.encode(text);
  const base = changetype<usize>(bytes);
  sha256Init(ctx);
  for (let at = 0; at < bytes.byteLength; at += step) {
    sha256Update(ctx, base + <usize>at, <usize>min(step, bytes.byteLength - at));
  }
  sha256Final(ctx, digest);
  return hex(digest, SHA256_DIGEST_SIZE);
}

export function describeSha256Vectors(path: string): void {
  describe("SHA-256 (" + path + ") against the FIPS 180-2 vectors", () => {
    it("hashes the empty message", () => {
      expect(hashText("", 1)).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    });
    it("hashes \"abc\"", () => {
      expect(hashText("abc", 64)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    });
    it("hashes the 448-bit message, which pads into a second block", () => {
      const msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
      expect(hashText(msg, 64)).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
      expect(hashText(msg, 1)).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    });
    it("hashes the 896-bit message", () => {
      const msg = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
      expect(hashText(msg, 65)).toBe("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    });
    it("hashes one million 'a' fed in 4096-byte chunks", () => {
      memory.fill(chunk, 0x61, 4096);
      sha256Init(ctx);
      let left = 1000000;
      while (left > 0) {
        const n = min(left, 4096);
        sha256Update(ctx, chunk, <usize>n);
        left -= n;
      }
      sha256Final(ctx, digest);
      expect(hex(digest, SHA256_DIGEST_SIZE)).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    });
    it("gives the same digest for every chunking of the same bytes", () => {
      const msg = "The quick brown fox jumps over the lazy dog, then again and again until it spans blocks.";
      const whole = hashText(msg, 4096);
      for (let step = 1; step <= 70; step++) expect(hashText(msg, step)).toBe(whole);
    });
  });
}
