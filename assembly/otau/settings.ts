// Device settings the host passes in with `configure(setting, value)` before `boot()`.
// Defaults suit a small MCU on a flaky link.

export const enum Setting {
  /** 0 = Murano (otau_in), 1 = Kaa (applied). */
  Cloud = 0,
  /** 1 = refuse updates without a sha256 digest (TEST_ERROR). */
  RequireDigest = 1,
  /** 1 = accept a semver-older version. */
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
}
const SETTING_COUNT = 9;

const values = memory.data<u32>([0, 0, 0, 5, 1000, 60000, 30000, 3, 0]);

export function setting(id: Setting): u32 {
  return load<u32>(values + (<usize>id << 2));
}

/** Returns false for an unknown setting or a value out of its range (nothing changes). */
export function configureSetting(id: i32, value: u32): bool {
  if (id < 0 || id >= SETTING_COUNT) return false;
  if ((id == Setting.Cloud || id == Setting.RequireDigest || id == Setting.AllowDowngrade) && value > 1) return false;
  if ((id == Setting.MaxAttempts || id == Setting.TrialBoots) && (value < 1 || value > 255)) return false;
  store<u32>(values + (<usize>id << 2), value);
  return true;
}
