// One update on a simulated device from its factory state to the end — the new image
// installed and confirmed, or (an image that never confirms itself) rolled back — with the
// power cut wherever a plan says. Checked at every boot and at the end, independently of
// the agent: the TypeScript reading of the boot record, SHA-256 of the slot's bytes, and a
// byte comparison with the two images that exist.
import { ConfigSource, Setting } from "../agent/agent-instance.ts";
import { ManualClock } from "../clock.ts";
import { type BootRecord, readBootRecord, SlotState, slotMatches } from "../flash/boot-record.ts";
import { type FlashOperation, NorFlash, type PowerCut, PowerLoss } from "../flash/nor-flash.ts";
import { BootSlot, slotName } from "../device/bootloader.ts";
import { makeFirmwareImage, sha256Hex } from "../device/firmware-image.ts";
import { InProcessCloud, InProcessFetcher } from "../device/in-process.ts";
import { SimulatedDevice } from "../device/simulated-device.ts";
import { generateKeyPairSync } from "node:crypto";
import { provisionTrustStore } from "../flash/trust-store.ts";
import { ed25519PublicKeyBytes, signImage } from "../image/mcuboot-image.ts";
import { flashAreas, trustArea, type PowerCutConfig } from "./configurations.ts";

/** update: a healthy image, which must end installed; rollback: one that never confirms itself. */
export type Scenario = "update" | "rollback";

export type Ending = "installed" | "rolled-back" | "unfinished" | "bricked" | "faulted";

export const OLD_VERSION = "1.0.0";
export const NEW_VERSION = "2.0.0";
/** Boots a trial image gets (the TrialBoots setting): more cuts than this during trial boots may roll back. */
export const TRIAL_BOOTS = 3;
const IMAGE_URL = "http://files.test/fw.bin";
const STEP_MS = 5;
/** Device time an update may take, cuts and reboots included, before it counts as never finishing. */
const DEFAULT_LIMIT_MS = 300_000;
/** Device time watched after the end: nothing may reboot any more. */
const SETTLE_MS = 2_000;

/**
 * The cut to arm next, given how many have fired and the index the next flash operation
 * gets; undefined: no more cuts.
 */
export type CutPlan = (fired: number, nextOperation: number) => PowerCut | undefined;

export interface RunOptions {
  config: PowerCutConfig;
  scenario: Scenario;
  /** agent.wasm, compiled once. */
  module: WebAssembly.Module;
  cuts?: CutPlan;
  /** Keep every flash operation in the outcome (the reference run's list of cut points). */
  trace?: boolean;
  /** The whole flash (areas back to back) at every power-on, before the bootloader reads it. */
  onBootState?(image: Uint8Array): void;
  /** Device time after which a run that has not ended counts as unfinished. Default 300 s. */
  limitMs?: number;
  /** The device trusts a key (area 3) and the new image is signed with it in MCUboot's format, of the layout's new-image size. */
  signed?: boolean;
}

export interface RunOutcome {
  ending: Ending;
  /** Every broken promise; empty when the run passed. */
  problems: string[];
  /** What each cut that fired interrupted. */
  cuts: string[];
  powerOns: number;
  /** Power-ons from the last cut to the end, the one that finished included (0 without cuts). */
  bootsToRecover: number;
  /** Boots of the new image on trial. */
  trialBoots: number;
  operations: number;
  trace: FlashOperation[];
}

interface Images {
  old: Buffer;
  new: Buffer;
  /** The config_otau document announcing the new image. */
  config: string;
}

const imageCache = new Map<string, Images>();
const signingKey = generateKeyPairSync("ed25519");
/** What signImage adds to a body: the 0x200-byte header, a protected security counter, SHA256, KEYHASH and ED25519 TLVs. */
const SIGNED_OVERHEAD = 0x200 + 12 + 4 + 36 + 36 + 68;

function imagesFor(config: PowerCutConfig, scenario: Scenario, signed: boolean): Images {
  const key = `${config.layout.oldImageSize}/${config.layout.newImageSize}/${scenario}/${signed}`;
  let images = imageCache.get(key);
  if (!images) {
    const old = makeFirmwareImage({ version: OLD_VERSION, size: config.layout.oldImageSize });
    const update = signed
      ? signImage(makeFirmwareImage({ version: NEW_VERSION, size: config.layout.newImageSize - SIGNED_OVERHEAD, healthy: scenario === "update" }),
        { version: NEW_VERSION, key: signingKey.privateKey, securityCounter: 1 })
      : makeFirmwareImage({ version: NEW_VERSION, size: config.layout.newImageSize, healthy: scenario === "update" });
    const document = { version: NEW_VERSION, name: "fw", type: "FILE", payload: IMAGE_URL, sha256: sha256Hex(update), size: update.length };
    images = { old, new: update, config: JSON.stringify(document) };
    imageCache.set(key, images);
  }
  return images;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

/**
 * True when a slot's first `size` bytes are `image` and then only the erased value: the
 * agent records the slot image it wrote, the last write unit padded.
 */
function holdsImage(flash: NorFlash, slot: number, size: number, image: Uint8Array): boolean {
  const bytes = flash.bytes(slot);
  const padding = bytes.subarray(image.length, size);
  return size >= image.length && size <= bytes.length && same(bytes.subarray(0, image.length), image) &&
    padding.every((byte) => byte === flash.areas[slot].erasedValue);
}

export function runUpdate(options: RunOptions): RunOutcome {
  const { config, scenario, module } = options;
  const signed = options.signed ?? false;
  const images = imagesFor(config, scenario, signed);
  const clock = new ManualClock(0);
  const areas = signed ? [...flashAreas(config), trustArea(config)] : flashAreas(config);
  const flash = new NorFlash({ areas, program: config.program, trace: options.trace });
  flash.bytes(BootSlot.A).set(images.old);
  if (signed) provisionTrustStore(flash, [ed25519PublicKeyBytes(signingKey.publicKey)]);
  // Boot states are the three areas a bootloader reads; the trust store is the agent's.
  const bootAreasBytes = flashAreas(config).reduce((sum, area) => sum + area.size, 0);
  const factoryA = flash.bytes(BootSlot.A).slice();
  const fetcher = new InProcessFetcher(clock, { chunkSize: config.layout.chunkSize });
  const cloud = new InProcessCloud(clock);
  fetcher.serve(IMAGE_URL, images.new);
  cloud.publish(ConfigSource.MuranoConfigOtau, images.config);
  const device = new SimulatedDevice({
    id: config.name, module, flash, clock, cloud, fetcher, factoryVersion: OLD_VERSION,
    settings: { [Setting.TrialBoots]: TRIAL_BOOTS },
  });

  const problems: string[] = [];
  const cuts: string[] = [];
  const statuses = device.otauIn();
  let trialBoots = 0;
  let lastCutPowerOn = 0;
  const armNext = (): void => {
    const cut = options.cuts?.(cuts.length, flash.operations);
    if (cut) flash.cutAt(cut);
  };

  device.on("power-on", () => options.onBootState?.(flash.image().subarray(0, bootAreasBytes)));
  device.on("bootloader", (slot: number) => {
    const problem = bootedImageProblem(flash, slot, factoryA, images.old.length, images.new);
    if (problem) problems.push(`power-on ${device.powerOns}: ${problem}`);
    if (slot === BootSlot.B && readBootRecord(flash)?.trial === BootSlot.B) trialBoots++;
  });
  device.on("power-loss", (loss: PowerLoss) => {
    cuts.push(`${loss.message} in power-on ${device.powerOns}`);
    lastCutPowerOn = device.powerOns;
    armNext();
  });
  const reported = (status: string, version: string): boolean => statuses.some((s) => s.status === status && s.version === version);
  const installed = (): boolean => reported("INSTALLED_VERSION", NEW_VERSION);
  const rolledBack = (): boolean => {
    const error = statuses.findIndex((s) => s.status === "INSTALL_ERROR" && s.version === NEW_VERSION);
    return error >= 0 && statuses.slice(error + 1).some((s) => s.status === "INSTALLED_VERSION" && s.version === OLD_VERSION);
  };
  const stopped = (): boolean => device.condition === "bricked" || device.condition === "faulted";

  const limitMs = options.limitMs ?? DEFAULT_LIMIT_MS;
  armNext();
  device.powerOn();
  while (!stopped() && !installed() && !rolledBack() && clock.now() < limitMs) clock.advance(STEP_MS);
  const ending: Ending = stopped() ? (device.condition as "bricked" | "faulted") : installed() ? "installed" : rolledBack() ? "rolled-back" : "unfinished";
  const bootsToRecover = cuts.length > 0 ? device.powerOns - lastCutPowerOn : 0;

  if (ending === "bricked" || ending === "faulted") problems.push(`device ${ending}: ${device.fault?.message}`);
  if (ending === "unfinished") problems.push(`no INSTALLED_VERSION after ${limitMs} ms of device time; statuses: ${statuses.map((s) => s.status).join(" ")}`);
  if (scenario === "update" && ending === "rolled-back" && trialBoots < TRIAL_BOOTS) {
    problems.push(`rolled back after ${trialBoots} trial boots of a healthy image (it gets ${TRIAL_BOOTS})`);
  }
  if (scenario === "rollback" && ending === "installed") problems.push("an image that never confirms itself ended installed");
  if (ending === "installed" || ending === "rolled-back") {
    flash.clearCut();
    const powerOns = device.powerOns;
    for (let settled = 0; settled < SETTLE_MS; settled += STEP_MS) clock.advance(STEP_MS);
    if (device.powerOns !== powerOns || device.condition !== "running") {
      problems.push(`after ending ${ending} the device did not stay up (power-ons ${powerOns} → ${device.powerOns}, ${device.condition})`);
    }
    const problem = finalStateProblem(device, ending, factoryA, images);
    if (problem) problems.push(problem);
  }
  if (device.traps.length > 0) problems.push(`the agent trapped ${device.traps.length} times, first: ${device.traps[0].message}`);
  device.powerOff();
  return {
    ending, problems, cuts, powerOns: device.powerOns, bootsToRecover, trialBoots,
    operations: flash.operations, trace: flash.trace,
  };
}

/**
 * Why the slot the bootloader just picked must not run, or undefined when it holds, verified
 * against its record, the factory image of slot A (`oldLength` bytes of `factoryA` at least)
 * or `newImage` in slot B.
 */
export function bootedImageProblem(flash: NorFlash, slot: number, factoryA: Uint8Array, oldLength: number, newImage: Uint8Array): string | undefined {
  const record = readBootRecord(flash);
  const bytes = flash.bytes(slot);
  if (!record) {
    return slot === BootSlot.A && same(bytes, factoryA) ? undefined : `booted slot ${slotName(slot)} with no boot record, not the factory image`;
  }
  const entry = record.slots[slot - 1];
  if (!slotMatches(flash, slot, entry)) return `booted slot ${slotName(slot)}, whose bytes do not match its recorded size ${entry.size} and digest`;
  const isOld = slot === BootSlot.A && entry.size >= oldLength && same(bytes.subarray(0, entry.size), factoryA.subarray(0, entry.size));
  const isNew = slot === BootSlot.B && holdsImage(flash, slot, entry.size, newImage);
  return isOld || isNew ? undefined : `booted slot ${slotName(slot)} holding ${entry.size} bytes that are neither the old nor the new image`;
}

function finalStateProblem(device: SimulatedDevice, ending: "installed" | "rolled-back", factoryA: Uint8Array, images: Images): string | undefined {
  const record: BootRecord | undefined = readBootRecord(device.flash);
  const running = device.runningImage?.version;
  const state = `running ${running}, record ${JSON.stringify(record && { active: record.active, trial: record.trial, states: record.slots.map((s) => s.state) })}`;
  if (ending === "installed") {
    const b = record?.slots[BootSlot.B - 1];
    const ok = running === NEW_VERSION && record?.active === BootSlot.B && record.trial === 0 && b?.state === SlotState.Confirmed &&
      holdsImage(device.flash, BootSlot.B, b.size, images.new);
    return ok ? undefined : `installed, but not on the new image confirmed in slot B: ${state}`;
  }
  const ok = running === OLD_VERSION && record?.active === BootSlot.A && record.trial === 0 && same(device.flash.bytes(BootSlot.A), factoryA);
  return ok ? undefined : `rolled back, but not on the factory image in slot A: ${state}`;
}
