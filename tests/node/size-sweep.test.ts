// Image sizes in every residue class modulo the sector size install (tests/node/support/size-sweep.ts).
// The quick sweep runs in npm test: every residue of 256-byte sectors, and the residues around
// write units and sector ends of 4 KiB sectors. `npm run test:sizes` runs every residue of
// 4 KiB sectors (65,536 updates).
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeCase, runSweepCase, sweepCases, type SweepCase } from "./support/size-sweep.ts";

const full = process.env.SIZE_SWEEP === "full";

async function sweep(cases: Iterable<SweepCase>): Promise<void> {
  const failures: string[] = [];
  let runs = 0;
  for (const c of cases) {
    runs++;
    const problem = await runSweepCase(c);
    if (problem !== undefined) failures.push(`${describeCase(c)}: ${problem}`);
  }
  console.log(`size sweep: ${runs - failures.length} of ${runs} updates installed`);
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${runs} sizes failed to install`);
}

if (full) {
  test("every residue of 4 KiB sectors × write alignment 1/4/8/16 × erased 0xFF/0x00 × one and three files installs", async () => {
    await sweep(sweepCases(4096));
  });
} else {
  test("every residue of 256-byte sectors × write alignment 1/4/8/16 × erased 0xFF/0x00 × one and three files installs", async () => {
    await sweep(sweepCases(256));
  });

  test("sizes around write units and sector ends of 4 KiB sectors install (4097–4099, 8193, …)", async () => {
    await sweep(sweepCases(4096, [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 4079, 4080, 4081, 4092, 4095]));
  });
}
