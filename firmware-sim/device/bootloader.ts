// The emulated bootloader: at every power-on a fresh agent instance that sees only the
// flash runs `bootloader_decide` (the same decision the C bootloader in host/boot makes),
// which may write the boot record (a trial attempt used, a rollback) before it answers.
// On a device that trusts keys it checks a trial image before starting it, with the module
// the C bootloader translates (boot-image-check.ts): a refused image never starts, and the
// record keeps why for the agent to report. Unlike the C bootloader it leaves confirmed
// images to their record's digest: simulated factory images are unsigned (otau-sim run
// --trust-key holds no private key), and a check of them would leave no slot to start.
import { AgentInstance, type LogLevel } from "../agent/agent-instance.ts";
import { readBootRecord } from "../flash/boot-record.ts";
import type { NorFlash } from "../flash/nor-flash.ts";
import { checkSlotImage, hasTrustedKeys } from "./boot-image-check.ts";

export enum BootSlot { None = 0, A = 1, B = 2 }

/** A host effect the bootloader must never call: it sees only the flash. */
function forbidden(effect: string): () => never {
  return () => {
    throw new Error(`the bootloader called the host effect ${effect}`);
  };
}

const EFFECTS_FORBIDDEN = {
  report: forbidden("report"),
  fetch: forbidden("fetch"),
  fetchCancel: forbidden("fetch_cancel"),
  applyJson: forbidden("apply_json"),
  reset: forbidden("reset"),
};

/**
 * The slot to start (None: nothing verifies) or a negative storage status. Power loss throws
 * out of it, and so does any host effect the decision calls (report, fetch, reset ...).
 */
export function runBootloader(module: WebAssembly.Module, flash: NorFlash, log?: (level: LogLevel, text: string) => void): number {
  // Only a pending trial on a device with keys is checked; both are read without counting flash
  // operations, the keys first (a device without area 3, e.g. a fleet's, reads nothing more).
  if (!hasTrustedKeys(flash)) return decideWithChecks(module, flash, undefined, log);
  const trial = readBootRecord(flash)?.trial ?? BootSlot.None;
  if (trial === BootSlot.None) return decideWithChecks(module, flash, undefined, log);
  return decideWithChecks(module, flash, (slot, size) => (slot === trial ? checkSlotImage(flash, slot, size) : ACCEPTED_BY_RECORD), log);
}

/** An image check's outcome: `refusal` 0 accepted (`checked` on what grounds: 0 the record's digest decides), else why not. */
export type ImageCheck = (slot: number, recordSize: number) => { refusal: number; checked: number };

/**
 * The agent's boot decision on a fresh instance, each slot it would start first put to `check`
 * as the C bootloader's check_image hook is (none: the record's digest alone decides).
 */
export function decideWithChecks(module: WebAssembly.Module, flash: NorFlash, check: ImageCheck | undefined, log?: (level: LogLevel, text: string) => void): number {
  const bootloader = AgentInstance.instantiate(module, { flash: (memory) => flash.imports(memory), log, ...EFFECTS_FORBIDDEN });
  if (check === undefined) return bootloader.bootloaderDecide();
  bootloader.bootloaderCheckImages();
  // Each answer asks for one more slot's check or decides: at most both slots, then the decision.
  for (let round = 0; round < 3; round++) {
    const answer = bootloader.bootloaderDecide();
    if (answer < CHECK_SLOT) return answer;
    const slot = answer - CHECK_SLOT;
    const { refusal, checked } = check(slot, bootloader.bootloaderCheckSize());
    bootloader.bootloaderCheckResult(slot, refusal, checked);
  }
  throw new Error("the boot decision asked for a slot's check again");
}

/** A confirmed slot, left to its record's digest. */
const ACCEPTED_BY_RECORD = { refusal: 0, checked: 0 };

/** bootloader_decide's answer, plus the slot, when that slot's image must be checked first (docs/abi.md). */
const CHECK_SLOT = 0x100;

export function slotName(slot: number): string {
  return slot === BootSlot.A ? "A" : slot === BootSlot.B ? "B" : "none";
}
