// What every end-to-end test file needs: the agent compiled once, small simulator images,
// devices on real loopback links, and one teardown that powers devices off, closes their
// links and stops the servers, so a failing test leaves no sockets behind.
import { compileAgent, Setting } from "../../../firmware-sim/agent/agent-instance.ts";
import { makeFirmwareImage, sha256Hex } from "../../../firmware-sim/device/firmware-image.ts";
import { loopbackDevice } from "../../../firmware-sim/device/loopback-device.ts";
import type { SimulatedDevice } from "../../../firmware-sim/device/simulated-device.ts";
import type { CloudLink, Fetcher } from "../../../firmware-sim/device/transport.ts";

export const OLD_VERSION = "1.0.0";
export const NEW_VERSION = "2.0.0";
export const SLOT_BYTES = 64 * 1024;
export const oldImage = makeFirmwareImage({ version: OLD_VERSION, size: 20_000 });
export const newImage = makeFirmwareImage({ version: NEW_VERSION, size: 48_000 });
export const newImageSha256 = sha256Hex(newImage);
/** Quick retries, and a stall detected after 400 ms: the fault tests end in seconds. */
export const QUICK_RETRIES = { [Setting.RetryBaseMs]: 50, [Setting.RetryMaxMs]: 100, [Setting.StallTimeoutMs]: 400, [Setting.MaxAttempts]: 5 };

/** A config_otau document for `newImage` at `url`. */
export function configOtau(url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: NEW_VERSION, name: "fw", type: "FILE", payload: url, sha256: newImageSha256, size: newImage.length, ...extra };
}

type Closable = CloudLink & { close(): void };

export class E2eRig {
  private readonly cleanups: Array<() => unknown> = [];

  /** Registers a server (or anything with stop) to stop at teardown. */
  async started<T extends { start(): Promise<unknown>; stop(): Promise<void> }>(server: T): Promise<T> {
    await server.start();
    this.cleanups.push(() => server.stop());
    return server;
  }

  async device(id: string, cloud: Closable, options: { settings?: Partial<Record<Setting, number>>; fetcher?: Fetcher; factoryImage?: Uint8Array } = {}): Promise<SimulatedDevice> {
    const device = loopbackDevice({
      id,
      module: await compileAgent(),
      factoryImage: options.factoryImage ?? oldImage,
      slotBytes: SLOT_BYTES,
      cloud,
      fetcher: options.fetcher,
      settings: options.settings,
    });
    // Devices and links go before the servers (cleanups run last-registered first).
    this.cleanups.push(() => {
      device.powerOff();
      cloud.close();
    });
    return device;
  }

  async teardown(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup();
  }
}

/** True when `bytes` starts with `image`: what a slot holds after a complete write. */
export function holdsImage(bytes: Uint8Array, image: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, image.length)).equals(image);
}
