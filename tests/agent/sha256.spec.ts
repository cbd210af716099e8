import { sha256NativeCalls } from "./sha256-native";
import { describeSha256Vectors, hashText } from "./sha256-vectors";

// The host of this spec file offers no native SHA-256: the agent's own code runs.
describeSha256Vectors("AssemblyScript");

describe("SHA-256 without a native host hash", () => {
  it("hashes in AssemblyScript, calling the host's sha256_native for nothing but the probe", () => {
    hashText("abc", 1);
    expect(sha256NativeCalls()).toBe(0);
  });
});
