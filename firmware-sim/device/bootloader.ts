// The emulated bootloader: at every power-on a fresh agent instance that sees only the
// flash runs `bootloader_decide` (the same decision the C bootloader in host/boot makes),
// which may write the boot record (a trial attempt used, a rollback) before it answers.
import { AgentInstance } from "../agent/agent-instance.ts";
import type { NorFlash } from "../flash/nor-flash.ts";

export enum BootSlot { None = 0, A = 1, B = 2 }

/** The slot to start (None: nothing verifies) or a negative storage status. Power loss throws out of it. */
export function runBootloader(module: WebAssembly.Module, flash: NorFlash): number {
  const bootloader = AgentInstance.instantiate(module, { flash: (memory) => flash.imports(memory) });
  return bootloader.bootloaderDecide();
}

export function slotName(slot: number): string {
  return slot === BootSlot.A ? "A" : slot === BootSlot.B ? "B" : "none";
}
