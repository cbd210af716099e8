// The QEMU power-kill campaign (`npm run test:qemu-powerkill`): updates of the QEMU board
// through the UART bridge, each with the power pulled (QEMU SIGKILLed) at random instants until
// it ends (at most --per-update times) and the board restarted on the same flash file, until at
// least --kills kills have been made.
// Updates alternate between a good 2.0.0 (must end installed and confirmed in slot B) and a
// 2.0.0 that never confirms (must end rolled back to 1.0.0 in slot A). Prints one line per
// update and a summary; exits 1 if any power-on started something invalid or any update did
// not end as it must.
//
//   npm run test:qemu-powerkill -- [--kills 50] [--per-update 5] [--seed 1] [--parallel 2]
import { parseArgs } from "node:util";
import { powerKillUpdate, seededFraction, type PowerKillResult } from "./powerkill-run.ts";
import { buildBoardImages, QemuUpdateRig } from "./qemu-update-rig.ts";

const { values } = parseArgs({
  options: {
    kills: { type: "string", default: "50" },
    "per-update": { type: "string", default: "5" },
    seed: { type: "string", default: "1" },
    parallel: { type: "string", default: "2" },
  },
});
const target = Number(values.kills);
const perUpdate = Number(values["per-update"]);
const seed = Number(values.seed);
const parallel = Number(values.parallel);
if (![target, perUpdate, seed, parallel].every((n) => Number.isInteger(n) && n > 0)) {
  console.error("qemu-powerkill: --kills, --per-update, --seed and --parallel take whole numbers above 0");
  process.exit(2);
}

buildBoardImages();
const rig = new QemuUpdateRig();
await rig.start();
const good = rig.publish("app-2.0.0-B", "2.0.0");
const noconfirm = rig.publish("app-2.0.0-B-noconfirm", "2.0.0");
const random = seededFraction(seed);
const results: PowerKillResult[] = [];
const started = Date.now();

async function one(index: number): Promise<void> {
  const rollsBack = index % 2 === 1;
  const device = await rig.device(`powerkill-${index}`);
  device.powerOn();
  await device.waitForStatus((s) => s.status === "INSTALLED_VERSION" && s.version === "1.0.0", 120_000);
  await device.powerOff();
  const result = await powerKillUpdate(device, {
    packageId: rollsBack ? noconfirm : good, oldVersion: "1.0.0", newVersion: "2.0.0", rollsBack,
    kills: perUpdate, windowMs: 4_000, random, settleMs: 300_000,
  });
  results.push(result);
  const verdict = result.problems.length === 0 ? (rollsBack ? "rolled back to 1.0.0" : "2.0.0 installed") : "FAILED";
  console.log(`update ${index + 1} (${rollsBack ? "faulty 2.0.0" : "good 2.0.0"}): ${result.kills} kills ` +
    `during [${result.killedDuring.join(", ")}], ${result.powerOns} power-ons: ${verdict}`);
  for (const problem of result.problems) console.log(`  problem: ${problem}`);
  if (result.problems.length > 0) {
    const statuses = device.statuses().map((d) => `${d.version} ${d.status}`).filter((d, i, all) => d !== all[i - 1]);
    console.log(`  statuses: ${statuses.join(", ")}\n  console (last 40 lines):\n${device.console.slice(-40).map((l) => `    ${l}`).join("\n")}`);
  }
}

try {
  for (let next = 0; results.reduce((n, r) => n + r.kills, 0) < target; next += parallel) {
    await Promise.all(Array.from({ length: parallel }, (_, i) => one(next + i)));
  }
} finally {
  await rig.stop();
}

const kills = results.reduce((n, r) => n + r.kills, 0);
const powerOns = results.reduce((n, r) => n + r.powerOns, 0);
const failed = results.filter((r) => r.problems.length > 0).length;
const phases = new Map<string, number>();
for (const phase of results.flatMap((r) => r.killedDuring)) phases.set(phase, (phases.get(phase) ?? 0) + 1);
console.log(`\nqemu-powerkill: seed ${seed}: ${kills} kills over ${results.length} updates, ${powerOns} power-ons, ` +
  `${results.length - failed} of ${results.length} updates ended as they must, in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`killed during: ${[...phases].sort((a, b) => b[1] - a[1]).map(([p, n]) => `${p} ${n}`).join(", ")}`);
process.exit(failed === 0 ? 0 : 1);
