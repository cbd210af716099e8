// One update on the QEMU board with the power pulled (QEMU SIGKILLed) at random instants and
// the board restarted on the same flash file each time; then a last power-on left to finish.
// Every power-on must start a valid image: each bootloader decision is a slot, and the
// application that starts prints that slot and a version of the update (old or new); QEMU
// never ends on its own (a fault resets the machine). The update must end installed (or,
// for a faulty build, rolled back to the old version) with the cloud told so.
import type { OtauInDocument } from "../murano/otau-documents.ts";
import type { QemuDevice } from "./qemu-update-rig.ts";
import { seededRandom } from "../flash/nor-flash.ts";

export interface PowerKillPlan {
  packageId: string;
  /** The version the package installs, and the version the device runs before it. */
  newVersion: string;
  oldVersion: string;
  /** True for a faulty build: the update must end rolled back to oldVersion. */
  rollsBack: boolean;
  /** At most this many kills; fewer when the update ends first. */
  kills: number;
  /** The longest a killed power-on runs: a kill aimed at a phase the run does not reach comes then. */
  windowMs: number;
  /** Uniform in [0, 1). */
  random: () => number;
  /** Bound on the last, unkilled power-on reaching the end. */
  settleMs: number;
}

export interface PowerKillResult {
  kills: number;
  powerOns: number;
  /** What each killed power-on had reached ("bootloader", "app 2.0.0 from B", "DOWNLOAD" ...). */
  killedDuring: string[];
  problems: string[];
}

/** Where kills aim, picked at random for each: right after the console line that starts a phase,
 * within `withinMs`; or (no line) anywhere in the window. Download is the longest phase, so
 * without aiming nearly every kill would land in it. */
const TARGETS: Array<{ line?: RegExp; withinMs: number }> = [
  { withinMs: Infinity },
  { line: /"status":"DOWNLOAD",/, withinMs: 2_000 },
  { line: /"status":"INSTALL",/, withinMs: 40 },
  { line: /^bootloader: slot B \(trial-boot\)$/, withinMs: 400 },
  { line: /^app: health check passed/, withinMs: 20 },
];

const BOOT_LINE = /^bootloader: slot (A|B) \(([a-z-]+)\)$/;
const APP_LINE = /^app (\S+) running from slot (A|B)$/;

/** Problems with one power-on's console lines: a decision without a slot, an app in the wrong slot or of an unknown version. */
export function checkPowerOn(lines: string[], versions: string[]): string[] {
  const problems: string[] = [];
  let slot: string | undefined;
  for (const line of lines) {
    if (line.startsWith("bootloader: ")) {
      const decision = BOOT_LINE.exec(line);
      if (!decision) problems.push(`the bootloader found no valid image: "${line}"`);
      slot = decision?.[1];
      continue;
    }
    const app = APP_LINE.exec(line);
    if (!app) continue;
    if (app[2] !== slot) problems.push(`"${line}" after the bootloader chose slot ${slot ?? "(none)"}`);
    if (!versions.includes(app[1])) problems.push(`"${line}": not a version of this update`);
  }
  return problems;
}

/** How far a power-on got, for the campaign's tally. */
function phaseOf(lines: string[]): string {
  let phase = "reset";
  for (const line of lines) {
    if (line.startsWith("bootloader: ")) phase = "bootloader";
    const app = APP_LINE.exec(line);
    if (app) phase = `app ${app[1]} from ${app[2]}`;
    const status = /"version":"([^"]*)","status":"([A-Z_]+)"/.exec(line);
    if (line.startsWith("report 0: ") && status) phase = `${status[1]} ${status[2].replace(/_STEP$/, "")}`;
    if (line.startsWith("app: health check passed")) phase = "confirming";
  }
  return phase;
}

export async function powerKillUpdate(device: QemuDevice, plan: PowerKillPlan): Promise<PowerKillResult> {
  const result: PowerKillResult = { kills: 0, powerOns: 0, killedDuring: [], problems: [] };
  const versions = [plan.oldVersion, plan.newVersion];
  const first = device.statuses().length;
  // A good update has ended when the cloud hears the new version installed: INSTALL_SUCCESS
  // itself may be lost to a kill between the confirmation and its report (the next boot reports
  // INSTALLED_VERSION of the confirmed version instead). A rollback is reported until noted.
  const ended = (s: OtauInDocument): boolean =>
    s.version === plan.newVersion && s.status === (plan.rollsBack ? "INSTALL_ERROR" : "INSTALLED_VERSION");
  const hasEnded = (): boolean => device.statuses().slice(first).some(ended);
  device.apply(plan.packageId);

  // Each power-on is killed at its aimed instant, unless the update ends first: that power-on
  // then runs on as the last one. Every kill counted lands inside the update.
  let from = device.console.length;
  let board = device.powerOn();
  result.powerOns++;
  while (result.kills < plan.kills) {
    const target = TARGETS[Math.floor(plan.random() * TARGETS.length)];
    const delay = plan.random();
    const aimed = target.line
      ? board.waitForLine(target.line, plan.windowMs).then(() => sleep(delay * target.withinMs), () => undefined)
      : sleep(delay * plan.windowMs);
    let aimedAt = false;
    void aimed.then(() => (aimedAt = true));
    while (!aimedAt && !hasEnded()) await sleep(20);
    if (hasEnded()) break;
    if (!board.running) result.problems.push(`QEMU ended on its own: ${device.console.slice(-5).join(" | ")}`);
    await device.powerOff();
    result.kills++;
    const lines = device.console.slice(from + 1);
    result.killedDuring.push(phaseOf(lines));
    result.problems.push(...checkPowerOn(lines, versions));
    from = device.console.length;
    board = device.powerOn();
    result.powerOns++;
  }

  // The last power-on runs until the update has ended and the cloud heard the version that runs.
  const final = plan.rollsBack ? plan.oldVersion : plan.newVersion;
  try {
    await device.waitForStatus(ended, plan.settleMs, first);
    const endedAt = device.statuses().findIndex((s, i) => i >= first && ended(s));
    await device.waitForStatus((s) => s.status === "INSTALLED_VERSION" && s.version === final, plan.settleMs, endedAt);
    const running = device.appLines().at(-1);
    const expected = `app ${final} running from slot ${plan.rollsBack ? "A" : "B"}`;
    if (running !== expected) result.problems.push(`the update ended with "${running}" running, not "${expected}"`);
  } catch (error) {
    result.problems.push(`the update did not end after ${result.kills} kills: ${(error as Error).message}`);
  }
  result.problems.push(...checkPowerOn(device.console.slice(from + 1), versions));
  await device.powerOff();
  return result;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Fractions in [0, 1) from the flash emulator's seeded generator: a campaign's instants are replayed from its seed. */
export function seededFraction(seed: number): () => number {
  const next = seededRandom(seed);
  return () => next() / 2 ** 32;
}
