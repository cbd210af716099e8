// The emulated bootloader: at every power-on a fresh agent instance that sees only the
// flash runs `bootloader_decide` (the same decision the C bootloader in host/boot makes),
// which may write the boot record (a trial attempt used, a rollback) before it answers.
import { AgentInstance } from "../agent/agent-instance.ts";
import type { NorFlash } from "../flash/nor-flash.ts";

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
export function runBootloader(module: WebAssembly.Module, flash: NorFlash): number {
  const bootloader = AgentInstance.instantiate(module, { flash: (memory) => flash.imports(memory), ...EFFECTS_FORBIDDEN });
  return bootloader.bootloaderDecide();
}

export function slotName(slot: number): string {
  return slot === BootSlot.A ? "A" : slot === BootSlot.B ? "B" : "none";
}
