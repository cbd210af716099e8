// Device settings the host passes in with `configure(setting, value)` before `boot()`.
// Defaults suit a small MCU on a flaky link. The ids are abi.ts Setting.
import { Setting } from "../abi";

const SETTING_COUNT = 15;

const values = memory.data<u32>([0, 0, 0, 5, 1000, 60000, 30000, 3, 0, 0, 0, 0, 0, 0, 0]);

export function setting(id: Setting): u32 {
  return load<u32>(values + (<usize>id << 2));
}

/** Returns false for an unknown setting or a value out of its range (nothing changes). */
export function configureSetting(id: i32, value: u32): bool {
  if (id < 0 || id >= SETTING_COUNT) return false;
  const flag = id == Setting.Cloud || id == Setting.RequireDigest || id == Setting.AllowDowngrade ||
    id == Setting.RunningVersionCheck || id == Setting.AllowUnverifiedImages;
  if (flag && value > 1) return false;
  if ((id == Setting.MaxAttempts || id == Setting.TrialBoots) && (value < 1 || value > 255)) return false;
  store<u32>(values + (<usize>id << 2), value);
  return true;
}
