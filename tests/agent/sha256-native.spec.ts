import { sha256NativeCalls, sha256NativeProvide } from "./sha256-native";
import { describeSha256Vectors, hashText } from "./sha256-vectors";

// Before the first hash: the agent probes once and then hashes through the host.
sha256NativeProvide(1);

describeSha256Vectors("host's sha256_native");

describe("SHA-256 with a native host hash", () => {
  it("hands the host Init, every Update and Final of a hash", () => {
    const before = sha256NativeCalls();
    hashText("abc", 1);
    expect(sha256NativeCalls() - before).toBe(5);
  });
});
