// A simulated device wired for real sockets: NOR flash with a factory image in slot A, an
// HTTP fetcher, a cloud link, the wall clock, and retry settings scaled down so that
// failures and retries take milliseconds. Used by the CLI and the end-to-end tests.
import { AgentState, Setting } from "../agent/agent-instance.ts";
import { SystemClock, type Clock } from "../clock.ts";
import { NorFlash } from "../flash/nor-flash.ts";
import { provisionTrustStore } from "../flash/trust-store.ts";
import { readFirmwareHeader } from "./firmware-image.ts";
import { HttpFetcher } from "./http-fetcher.ts";
import { SimulatedDevice, type DeviceOptions } from "./simulated-device.ts";
import type { CloudLink, Fetcher } from "./transport.ts";

export const SECTOR_BYTES = 4096;
const BOOT_AREA_SECTORS = 4;

/** Retries in milliseconds rather than the defaults' seconds; a quiet transfer is dropped after 1.5 s. */
export const FAST_SETTINGS: Partial<Record<Setting, number>> = {
  [Setting.MaxAttempts]: 5,
  [Setting.RetryBaseMs]: 100,
  [Setting.RetryMaxMs]: 1000,
  [Setting.StallTimeoutMs]: 1500,
};

/**
 * Boot area, slot A holding `factoryImage`, slot B erased; slots of `slotBytes` (rounded up
 * to sectors). With `trustedKeys` (raw Ed25519 public keys) also a trust-store area 3
 * provisioned with them: the device then installs only images signed by one of them.
 */
export function deviceFlash(factoryImage: Uint8Array, slotBytes: number, trustedKeys: Uint8Array[] = []): NorFlash {
  const slot = Math.ceil(Math.max(slotBytes, factoryImage.length) / SECTOR_BYTES) * SECTOR_BYTES;
  const area = (size: number) => ({ size, sectorSize: SECTOR_BYTES, writeAlign: 4, erasedValue: 0xff as const });
  const areas = [area(BOOT_AREA_SECTORS * SECTOR_BYTES), area(slot), area(slot)];
  if (trustedKeys.length > 0) areas.push(area(2 * SECTOR_BYTES));
  const flash = new NorFlash({ areas });
  flash.bytes(1).set(factoryImage);
  if (trustedKeys.length > 0) provisionTrustStore(flash, trustedKeys);
  return flash;
}

export interface LoopbackDeviceOptions {
  id: string;
  module: WebAssembly.Module;
  /** The image in slot A; it must be a simulator image (makeFirmwareImage), which names its version. */
  factoryImage: Uint8Array;
  slotBytes: number;
  /** Raw Ed25519 public keys provisioned into the trust store (area 3); none: no area 3. */
  trustedKeys?: Uint8Array[];
  cloud: CloudLink;
  /** Default: a plain HttpFetcher. */
  fetcher?: Fetcher;
  /** Merged over FAST_SETTINGS. */
  settings?: Partial<Record<Setting, number>>;
  log?: DeviceOptions["log"];
  /** Default: the wall clock, a timer per callback (a fleet shares one: SharedTickClock). */
  clock?: Clock;
  /** How often the agent's on_tick runs. Default 20 ms (the fast settings' retries are 100 ms apart). */
  tickMs?: number;
}

export function loopbackDevice(options: LoopbackDeviceOptions): SimulatedDevice {
  const factoryVersion = readFirmwareHeader(options.factoryImage)?.version;
  if (factoryVersion === undefined) throw new Error(`${options.id}: the factory image is not a simulator image (no OTAUSIM1 header)`);
  return new SimulatedDevice({
    id: options.id,
    module: options.module,
    flash: deviceFlash(options.factoryImage, options.slotBytes, options.trustedKeys),
    clock: options.clock ?? new SystemClock(),
    cloud: options.cloud,
    fetcher: options.fetcher ?? new HttpFetcher(),
    factoryVersion,
    // The factory record then measures the image, not the whole slot.
    settings: { ...FAST_SETTINGS, [Setting.FactoryImageSize]: options.factoryImage.length, ...options.settings },
    tickMs: options.tickMs ?? 20,
    confirmAfterMs: 50,
    watchdogMs: 300,
    log: options.log,
  });
}

/**
 * Resolves once `condition` holds, checked after every device event and every 20 ms (the
 * agent's state changes inside calls that emit nothing); rejects after `timeoutMs` naming
 * what the device last reported, so a failing test says where the update stopped.
 */
export function waitFor(device: SimulatedDevice, condition: (device: SimulatedDevice) => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!condition(device)) return;
      stop();
      resolve();
    };
    const poll = setInterval(check, 20);
    const timer = setTimeout(() => {
      stop();
      const last = device.reports.slice(-4).map((r) => r.document).join("\n  ");
      reject(new Error(`${device.id}: timed out after ${timeoutMs} ms waiting for ${what}; device ${device.condition}; last reports:\n  ${last}`));
    }, timeoutMs);
    const stop = (): void => {
      clearInterval(poll);
      clearTimeout(timer);
      device.off("change", check);
    };
    device.on("change", check);
    check();
  });
}

/** The device runs `version` and the agent is idle: a trial boot of it is confirmed. */
export function runsConfirmed(version: string): (device: SimulatedDevice) => boolean {
  return (device) => device.condition === "running" && device.runningImage?.version === version && device.agentState() === AgentState.Idle;
}
