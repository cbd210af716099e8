// The boot decision exists twice (docs/boot-record.md "Boot decision"): the agent's
// bootloader_decide, which the simulated device boots through, and the C bootloader's. Every
// flash state the power-cut runs present to a bootloader is collected (once per distinct
// state) and given to both; they must start the same slot and leave the same flash behind.
// Each state is decided twice: without an image check, and with one whose answers (refused, or
// accepted on the image's own hash or on the record's digest) an oracle derives from the state
// (checkOracle), so the secure-boot paths of both decisions are compared too.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { decideWithChecks } from "../device/bootloader.ts";
import { type AreaGeometry, NorFlash } from "../flash/nor-flash.ts";
import { areaArguments, checkOracle, decideBatch } from "./c-boot-decide.ts";

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

  /** Decides every pending state with both, without and with image checks, and records where they differ. */
  flush(): void {
    if (this.pending.length === 0) return;
    this.compare(false);
    this.compare(true);
    this.compared += this.pending.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private compare(checks: boolean): void {
    const c = decideBatch(this.bootDecide, this.scratch.imageLayout(), this.pending, checks);
    const mode = checks ? "with image checks" : "without image checks";
    this.pending.forEach((image, i) => {
      const oracle = checks ? checkOracle(createHash("sha256").update(image).digest()) : undefined;
      this.scratch.loadImage(image);
      let slot: number;
      try {
        slot = decideWithChecks(this.module, this.scratch, oracle && ((s) => oracle(s)));
      } catch (error) {
        return this.mismatch(image, `${mode}: the agent's decision threw ${error}; C '${c[i].line}'`);
      }
      const agentFailed = slot < 0;
      const cFailed = c[i].slot < 0;
      const flashDigest = createHash("sha256").update(this.scratch.image()).digest("hex");
      const agrees = agentFailed || cFailed ? agentFailed === cFailed : slot === c[i].slot && flashDigest === c[i].flashDigest;
      if (!agrees) this.mismatch(image, `${mode}: the agent chose slot ${slot} (flash after ${flashDigest.slice(0, 12)}), C '${c[i].line}'`);
    });
  }

  /** Keeps the state in a file, so that the disagreement can be replayed with boot-decide. */
  private mismatch(image: Uint8Array, why: string): void {
    const file = join(tmpdir(), `powercut-state-${createHash("sha256").update(image).digest("hex").slice(0, 16)}.bin`);
    writeFileSync(file, image);
    this.mismatches.push(`${why} (state saved in ${file}; areas ${areaArguments(this.scratch.imageLayout()).join(" ")})`);
  }
}
