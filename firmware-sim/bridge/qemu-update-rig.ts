// A QEMU board updating through the UART bridge against the Murano emulator: what the QEMU
// update tests and the power-kill campaign set up. The board's images come from
// `make -C boards/qemu-mps2-an386 images`; each device has its own flash file (provisioned with
// app-1.0.0-A in slot A, as a factory would) and its own bridge; its console lines are kept
// across power cycles.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MuranoEmulator } from "../murano/murano-emulator.ts";
import type { OtauInDocument } from "../murano/otau-documents.ts";
import { QemuBoard, provisionFlash } from "./qemu-board.ts";
import { UartBridge } from "./uart-bridge.ts";

export const BOARD_DIR = fileURLToPath(new URL("../../boards/qemu-mps2-an386/", import.meta.url));
/** Its own build directory: the bring-up (bringup.sh) may be building the board's default one at the same time. */
const BUILD_DIR = fileURLToPath(new URL("../../build/boards/qemu-mps2-an386-devices", import.meta.url));
export const IMAGES_DIR = join(BUILD_DIR, "images");
export const FACTORY_IMAGE = "app-1.0.0-A";

/** Builds the bootloader and every application the tests use; throws with the build's tail. */
export function buildBoardImages(): void {
  const make = spawnSync("make", ["-C", BOARD_DIR, "-j2", "images", `OUT=${BUILD_DIR}`], { encoding: "utf8" });
  if (make.status !== 0) throw new Error(`make images failed:\n${(make.stdout + make.stderr).split("\n").slice(-30).join("\n")}`);
}

export function imageBytes(name: string): Buffer {
  return readFileSync(join(IMAGES_DIR, `${name}.bin`));
}

export class QemuUpdateRig {
  readonly murano = new MuranoEmulator();
  readonly dir = mkdtempSync(join(tmpdir(), "qemu-update-"));
  private readonly devices: QemuDevice[] = [];

  async start(): Promise<void> {
    await this.murano.start();
  }

  async stop(): Promise<void> {
    for (const device of this.devices.splice(0)) await device.close();
    await this.murano.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Publishes image `name` (an application build, or `image` under its name) as product content and a package whose
   * config_otau names it for `version`; returns the package id. */
  publish(name: string, version: string, image?: Buffer): string {
    const packageId = `package_${name.replace(/\./g, "-")}`;
    this.publishPackage(packageId, version, this.content(name, image));
    return packageId;
  }

  /** Publishes a release with a build per slot: the ordinary fields name slot B's build (where a
   * factory device goes first), the `slots` table both (docs/protocols.md). */
  publishSlots(version: string, builds: { A: string; B: string }): string {
    const packageId = `package_${version.replace(/\./g, "-")}-per-slot`;
    const slots = { A: this.content(builds.A), B: this.content(builds.B) };
    this.publishPackage(packageId, version, { ...slots.B, slots });
    return packageId;
  }

  /** Puts build `name` (or `image` under its name) as product content; its payload, sha256 and size for a config_otau. */
  private content(name: string, image: Buffer = imageBytes(name)): { payload: string; sha256: string; size: number } {
    this.murano.product.putContent(`${name}.bin`, { body: image });
    return {
      payload: `${this.murano.urls.http}/provision/download?id=${name}.bin`,
      sha256: createHash("sha256").update(image).digest("hex"), size: image.length,
    };
  }

  private publishPackage(packageId: string, version: string, fields: Record<string, unknown>): void {
    this.murano.product.publishPackage(packageId, {
      author: "qemu-update", vendor: "Acme", product: "mps2-an386",
      config_otau: { version, name: `mps2-an386 firmware ${version}`, type: "FILE", ...fields } as never,
    });
  }

  /** A device whose part leaves the factory with `factoryImage` (a build's name, or the image) in
   * slot A and, when given, `trustStore` in area 3 (qemu-board.ts provisionFlash). */
  async device(identity: string, factoryImage: string | Buffer = FACTORY_IMAGE, trustStore?: Uint8Array): Promise<QemuDevice> {
    this.murano.product.addIdentity(identity);
    const bridge = new UartBridge({ murano: this.murano.urls.http, identity, pollTimeoutMs: 5_000 });
    const factory = typeof factoryImage === "string" ? imageBytes(factoryImage) : factoryImage;
    const device = new QemuDevice(this, identity, bridge, await bridge.listen(), join(this.dir, `${identity}.nor`), factory, trustStore);
    this.devices.push(device);
    return device;
  }
}

export class QemuDevice {
  /** Every console line of every power-on, each power-on starting with "--- power on". */
  readonly console: string[] = [];
  board: QemuBoard | undefined;
  private provisioned = false;

  constructor(
    private readonly rig: QemuUpdateRig,
    readonly identity: string,
    readonly bridge: UartBridge,
    private readonly port: number,
    readonly flashFile: string,
    private readonly factoryImage: Buffer,
    private readonly trustStore?: Uint8Array,
  ) {}

  /** Starts QEMU on the device's flash file (provisioned with the factory image the first time). */
  powerOn(): QemuBoard {
    if (!this.provisioned) provisionFlash(this.flashFile, this.factoryImage, this.trustStore);
    this.provisioned = true;
    this.console.push("--- power on");
    const board = new QemuBoard({ bootloader: join(IMAGES_DIR, "bootloader.elf"), flashFile: this.flashFile, bridgePort: this.port });
    board.on("line", (line: string) => this.console.push(line));
    this.board = board;
    return board;
  }

  /** SIGKILL: the power is gone mid-instruction. */
  async powerOff(): Promise<void> {
    await this.board?.kill();
    this.board = undefined;
  }

  apply(packageId: string): void {
    this.rig.murano.product.applyPackage(this.identity, packageId);
  }

  /** The otau_in documents the cloud has received, oldest first. */
  statuses(): OtauInDocument[] {
    return this.rig.murano.product.statusHistory(this.identity).flatMap((entry) => (entry.document ? [entry.document] : []));
  }

  waitForStatus(predicate: (status: OtauInDocument) => boolean, timeoutMs: number, since = 0): Promise<OtauInDocument> {
    return this.rig.murano.product.waitForStatus(this.identity, predicate, timeoutMs, { since });
  }

  /** The console lines that say which application started: "app 2.0.0 running from slot B". */
  appLines(): string[] {
    return this.console.filter((line) => line.startsWith("app ") && line.includes(" running from slot "));
  }

  async close(): Promise<void> {
    await this.powerOff();
    await this.bridge.close();
  }
}
