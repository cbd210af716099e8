// The boot decision exists twice (docs/boot-record.md "Boot decision"): the agent's
// bootloader_decide, which the simulated device boots through, and the C bootloader's. Every
// flash state the power-cut runs present to a bootloader is collected (once per distinct
// state) and given to both; they must start the same slot and leave the same flash behind.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { runBootloader } from "../device/bootloader.ts";
import { type AreaGeometry, NorFlash } from "../flash/nor-flash.ts";
import { areaArguments, decideBatch } from "./c-boot-decide.ts";

/** Pending images are decided once they reach this many bytes, to bound memory. */
const BATCH_BYTES = 48 * 1024 * 1024;

export class BootDecisionDifferential {
  /** States offered, duplicates included. */
  offered = 0;
  /** Distinct states decided by both. */
  compared = 0;
  readonly mismatches: string[] = [];
  private readonly seen = new Set<string>();
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly scratch: NorFlash;

  constructor(private readonly module: WebAssembly.Module, areas: AreaGeometry[], private readonly bootDecide: string) {
    this.scratch = new NorFlash({ areas });
  }

  /** A flash state (areas back to back) as a bootloader found it. */
  offer(image: Uint8Array): void {
    this.offered++;
    const key = createHash("sha1").update(image).digest("base64");
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.pending.push(image);
    this.pendingBytes += image.length;
    if (this.pendingBytes >= BATCH_BYTES) this.flush();
  }

  /** Decides every pending state with both and records where they differ. */
  flush(): void {
    if (this.pending.length === 0) return;
    const c = decideBatch(this.bootDecide, this.scratch.imageLayout(), this.pending);
    this.pending.forEach((image, i) => {
      this.scratch.loadImage(image);
      let slot: number;
      try {
        slot = runBootloader(this.module, this.scratch);
      } catch (error) {
        return this.mismatch(image, `the agent's decision threw ${error}; C '${c[i].line}'`);
      }
      const agentFailed = slot < 0;
      const cFailed = c[i].slot < 0;
      const flashDigest = createHash("sha256").update(this.scratch.image()).digest("hex");
      const agrees = agentFailed || cFailed ? agentFailed === cFailed : slot === c[i].slot && flashDigest === c[i].flashDigest;
      if (!agrees) this.mismatch(image, `the agent chose slot ${slot} (flash after ${flashDigest.slice(0, 12)}), C '${c[i].line}'`);
    });
    this.compared += this.pending.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Keeps the state in a file, so that the disagreement can be replayed with boot-decide. */
  private mismatch(image: Uint8Array, why: string): void {
    const file = join(tmpdir(), `powercut-state-${createHash("sha256").update(image).digest("hex").slice(0, 16)}.bin`);
    writeFileSync(file, image);
    this.mismatches.push(`${why} (state saved in ${file}; areas ${areaArguments(this.scratch.imageLayout()).join(" ")})`);
  }
}
