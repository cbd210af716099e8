// Every number the agent shares with its hosts (docs/abi.md), in one place. The C hosts
// take the same numbers from host/include/otau_abi.h and firmware-sim from
// firmware-sim/agent/abi.ts; tests/node/abi-numbers.test.ts checks all three agree.

/** Return codes of the exports. Negative means the call was refused and changed nothing. */
export const enum AbiResult {
  Ok = 0,
  /** A length argument exceeds IO_BUFFER_SIZE. */
  LengthTooLarge = -1,
  /** The call is not valid in the agent's current state. */
  WrongState = -2,
  /** An argument is out of its range (unknown source, setting or value), or a document was refused. */
  BadArgument = -3,
  /** Flash could not be written; nothing changed. */
  StorageFailed = -4,
}

/** Which document kind `on_config` carries. */
export const enum ConfigSource {
  MuranoConfigOtau = 0,
  MuranoOtauInfo = 1,
  KaaResponse = 2,
}

/** The state machine's states, as `agent_state()` returns them. */
export const enum AgentState {
  Idle = 0,
  Fetching,
  Receiving,
  Backoff,
  AwaitingReset,
  Trial,
  /** Never a state the agent is in: the wildcard of a transition-table row (otau/machine.ts). */
  Any,
}

/** Device settings passed with `configure(setting, value)` before `boot()`. */
export const enum Setting {
  /** 0 = Murano (otau_in), 1 = Kaa (applied). */
  Cloud = 0,
  /** 1 = refuse updates without a sha256 digest (TEST_ERROR). */
  RequireDigest = 1,
  /**
   * 1 = accept a version of lower SemVer 2.0.0 precedence, and versions that cannot be
   * ordered; 0 = refuse both (manifest/version.ts).
   */
  AllowDowngrade = 2,
  /** Download attempts per update before DOWNLOAD_ERROR. */
  MaxAttempts = 3,
  /** First retry delay; doubles per attempt. */
  RetryBaseMs = 4,
  /** Cap of the retry delay. */
  RetryMaxMs = 5,
  /** A transfer with no data for this long is abandoned and retried. */
  StallTimeoutMs = 6,
  /** Boots a new image gets to call on_healthy() before the bootloader rolls back. */
  TrialBoots = 7,
  /**
   * Bytes of the factory image in slot A, measured when the flash has no boot record yet;
   * 0 = unknown: the whole slot is measured (and the bootloader re-hashes all of it each boot).
   */
  FactoryImageSize = 8,
  /**
   * 1 = firmware_version() names the running image, at every boot: boot() checks it against the
   * version the boot record installed in the slot that runs (INSTALL_ERROR when they differ).
   */
  RunningVersionCheck = 9,
  /** Seed of the retry delays' jitter (a hardware random number or a hash of the identity); 0 = no jitter. */
  JitterSeed = 10,
  /**
   * After the last attempt fails (DOWNLOAD_ERROR), the same update is tried again after this
   * long, doubling (at most 64 times) and jittered at each cool-down; 0 = never (the update ends).
   */
  RetryCooldownMs = 11,
  /** 1 = install an image with no integrity information (no sha256 digest, no trusted keys); 0 = refuse it at TEST. */
  AllowUnverifiedImages = 12,
  /**
   * The address slot A's image runs from (XIP: an MCUboot image flagged IMAGE_F_ROM_FIXED installs
   * in slot A only when its load address is this one); 0 = not known, not checked.
   */
  SlotAddressA = 13,
  /** As SlotAddressA, for slot B. */
  SlotAddressB = 14,
}

/** Log levels passed to the `log` import. */
export const enum LogLevel {
  Error = 0,
  Warn = 1,
  Info = 2,
  Debug = 3,
}

/** Channels of the `report` import. */
export const enum Channel {
  /** Murano: an otau_in document to write to the `otau_in` resource. */
  MuranoOtauIn = 0,
  /** Kaa: an `applied` document to publish on `kp1/<app>/cmx_ota/<token>/applied/json`. */
  KaaApplied = 1,
  /** Kaa: a status in otau_in form, for the device's own log or UI (Kaa has no progress resource). */
  KaaStatus = 2,
}

/**
 * What the `fetch` and `apply_json` imports return when the host has nothing behind them
 * (no transport, no application handler). Other negative values are the port's own refusals.
 */
export const enum ImportResult {
  Ok = 0,
  NotProvided = -1,
}

/** Flash areas, as the flash imports number them. */
export const enum Area {
  BootRecord = 0,
  SlotA = 1,
  SlotB = 2,
  /** Optional: the trusted image-signing keys and the security counter (storage/trust_store.ts). */
  TrustStore = 3,
}

/** What the flash imports return: 0, or one of these. */
export const enum FlashCode {
  Ok = 0,
  NoSuchArea = -1,
  OutOfRange = -2,
  Misaligned = -3,
  NotErased = -4,
  DeviceError = -5,
}

/** Operations of the `sha256_native` import. */
export const enum Sha256Native {
  /** 0 when the host hashes natively, negative when it does not. */
  Probe = 0,
  /** Start a hash in the context at `ctx`. */
  Init = 1,
  /** Hash `len` bytes at `ptr` into the context at `ctx`. */
  Update = 2,
  /** Write the 32-byte digest of the context at `ctx` to `ptr`. */
  Final = 3,
}

/** What `sha256_native` returns besides 0. */
/** What `ed25519_native` returns. */
export const enum Ed25519NativeResult {
  /** The signature does not verify. */
  Invalid = 0,
  /** The signature verifies. */
  Valid = 1,
  /** The host has no native verifier: the agent verifies itself. */
  NotProvided = -1,
}

export const enum Sha256NativeResult {
  Ok = 0,
  /** The host has no native SHA-256. */
  NotProvided = -1,
  /** An unknown operation, or a context Init did not set up. */
  BadOperation = -2,
}
