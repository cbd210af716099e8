// The specs' `sha256_native` import: firmware-sim's (state in the context bytes) when a spec asks for it
// (test_sha256_native_provide), otherwise "not provided", as a host without one answers.
// Declared on the AssemblyScript side in tests/agent/sha256-native.ts.
import { tsImport } from "tsx/esm/api";

const { contextSha256Native, sha256NotProvided } = await tsImport(
  "../../firmware-sim/agent/native-sha256.ts", import.meta.url);
const { Sha256Native } = await tsImport("../../firmware-sim/agent/abi.ts", import.meta.url);

export function sha256NativeImports(memory) {
  const native = contextSha256Native(memory);
  let provided = false;
  let calls = 0;
  return {
    sha256_native: (op, ctx, ptr, len) => {
      if (!provided) return sha256NotProvided(op, ctx, ptr, len);
      if (op !== Sha256Native.Probe) calls++;
      return native(op, ctx, ptr, len);
    },
    test_sha256_native_provide: (on) => { provided = on !== 0; },
    test_sha256_native_calls: () => calls,
  };
}
