// The agent's ABI numbers (docs/abi.md) for Node hosts: the same enums as assembly/abi.ts,
// which tests/node/abi-numbers.test.ts compares them with.

/** Return codes of the exports. */
export enum AbiResult { Ok = 0, LengthTooLarge = -1, WrongState = -2, BadArgument = -3, StorageFailed = -4 }

/** Which document `on_config` delivers. */
export enum ConfigSource { MuranoConfigOtau = 0, MuranoOtauInfo = 1, KaaResponse = 2 }

/** The machine's state (`agent_state`). */
export enum AgentState { Idle = 0, Fetching = 1, Receiving = 2, Backoff = 3, AwaitingReset = 4, Trial = 5 }

/** Device settings (`configure`). */
export enum Setting {
  Cloud = 0, RequireDigest = 1, AllowDowngrade = 2, MaxAttempts = 3, RetryBaseMs = 4, RetryMaxMs = 5,
  StallTimeoutMs = 6, TrialBoots = 7, FactoryImageSize = 8, RunningVersionCheck = 9, JitterSeed = 10,
  RetryCooldownMs = 11, AllowUnverifiedImages = 12, SlotAddressA = 13, SlotAddressB = 14,
}

/** Levels of the `log` import. */
export enum LogLevel { Error = 0, Warn = 1, Info = 2, Debug = 3 }

/** Channels of the `report` import. */
export enum Channel { MuranoOtauIn = 0, KaaApplied = 1, KaaStatus = 2 }

/** What `fetch` and `apply_json` return when the host has nothing behind them. */
export enum ImportResult { Ok = 0, NotProvided = -1 }

/** Flash areas of the flash imports. */
export enum Area { BootRecord = 0, SlotA = 1, SlotB = 2, TrustStore = 3 }

/** What the flash imports return. */
export enum FlashCode { Ok = 0, NoSuchArea = -1, OutOfRange = -2, Misaligned = -3, NotErased = -4, DeviceError = -5 }

/** Operations of the `sha256_native` import. */
export enum Sha256Native { Probe = 0, Init = 1, Update = 2, Final = 3 }

/** What `ed25519_native` returns. */
export enum Ed25519NativeResult { Invalid = 0, Valid = 1, NotProvided = -1 }

/** What `sha256_native` returns. */
export enum Sha256NativeResult { Ok = 0, NotProvided = -1, BadOperation = -2 }
