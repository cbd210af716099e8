// The emulated bootloader's image check (secure boot): build/boot_verifier.wasm, the module
// the C bootloader translates with wasm2c (host/boot/boot_image_check.c), run over the
// simulated flash. One instance per process, reused: a boot costs no wasm memory of its own
// (a fleet process holds thousands of devices). The verifier keeps no state between checks
// that steers the next one: boot_verify reloads the trust store and the slot's header.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { contextSha256Native } from "../agent/native-sha256.ts";
import { ed25519NotProvided } from "../agent/native-ed25519.ts";
import type { FlashImports } from "../agent/agent-instance.ts";
import type { NorFlash } from "../flash/nor-flash.ts";
import { readTrustStore } from "../flash/trust-store.ts";

export const BOOT_VERIFIER_PATH = fileURLToPath(new URL("../../build/boot_verifier.wasm", import.meta.url));
const TRUST_STORE_AREA = 3;
/** The C bootloader's refusal for a verifier that trapped (host/boot/boot_image_check.h). */
const VERIFIER_TRAPPED = 66;

export interface ImageCheck {
  /** 0: the slot may start; else why not (an ImageProblem, or the verifier's 64-66). */
  refusal: number;
  /** What an accepted image's acceptance rested on: 0 record digest only, 1 image hash, 2 signature. */
  checked: number;
}

interface VerifierExports {
  memory: WebAssembly.Memory;
  boot_verify(slot: number, size: number): number;
  boot_checked(): number;
}

let verifier: { exports: VerifierExports; bind(flash: NorFlash): void } | undefined;

/** The process's verifier instance, made at first use (a synchronous compile of an 11 KB module). */
function instance(): { exports: VerifierExports; bind(flash: NorFlash): void } {
  if (verifier) return verifier;
  let flash: FlashImports | undefined;
  let memory: WebAssembly.Memory | undefined;
  const getMemory = (): WebAssembly.Memory => memory!;
  const bound = (): FlashImports => {
    if (!flash) throw new Error("the boot verifier ran without a flash");
    return flash;
  };
  const env = {
    // The verifier only reads (it has no write import).
    flash_info: (area: number, out: number) => bound().flash_info(area, out),
    flash_read: (area: number, offset: number, ptr: number, len: number) => bound().flash_read(area, offset, ptr, len),
    // As the C bootloader: the bulk hash outside the module, Ed25519 its own.
    sha256_native: contextSha256Native(getMemory),
    ed25519_native: ed25519NotProvided,
  };
  const module = new WebAssembly.Module(readFileSync(BOOT_VERIFIER_PATH));
  const exports = new WebAssembly.Instance(module, { env }).exports as unknown as VerifierExports;
  memory = exports.memory;
  verifier = { exports, bind: (target) => (flash = target.imports(getMemory)) };
  return verifier;
}

/** True when area 3 holds at least one trusted key: then every slot is checked before it starts. */
export function hasTrustedKeys(flash: NorFlash): boolean {
  return flash.areas.length > TRUST_STORE_AREA && (readTrustStore(flash)?.keys.length ?? 0) > 0;
}

/** Checks the image in `slot` (1, 2) against the trust store; `size` the boot record's size for it (0: none). */
export function checkSlotImage(flash: NorFlash, slot: number, size: number): ImageCheck {
  const { exports, bind } = instance();
  bind(flash);
  try {
    const refusal = exports.boot_verify(slot, size >>> 0);
    return { refusal, checked: refusal === 0 ? exports.boot_checked() : 0 };
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error; // power loss, a flash fault
    verifier = undefined; // the next check starts from a fresh instance, as the C one always does
    return { refusal: VERIFIER_TRAPPED, checked: 0 };
  }
}
