// Test-only controls of the specs' `sha256_native` host (tests/agent/sha256-native.js, over
// firmware-sim's node:crypto import). The agent probes the host once, at its first hash, so a
// spec file chooses its path with a top-level call before any hash.

/** 1: the host offers its native SHA-256 from now on; 0: it answers "not provided". */
@external("env", "test_sha256_native_provide")
export declare function sha256NativeProvide(on: i32): void;
/** Init, Update and Final operations the host has answered so far. */
@external("env", "test_sha256_native_calls")
export declare function sha256NativeCalls(): i32;
