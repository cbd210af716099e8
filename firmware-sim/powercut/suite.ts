// The power-cut suite for one flash configuration. A clean update is run once to list its
// flash operations; then, from scratch each time, power is cut at every one of them —
// before it, just after it, and torn (a write part done with a byte's bits half programmed;
// an erase part done, the rest left as garbage or as the old bytes) — and the device must
// reboot through the bootloader into a verified old or new image and finish the update.
// The same for an image that never confirms itself (it must end rolled back), then random
// runs with up to five cuts. Every flash state a bootloader met goes to the differential.
import type { CutKind, FlashOperation, PowerCut } from "../flash/nor-flash.ts";
import { seededRandom } from "../flash/nor-flash.ts";
import { flashAreas, type PowerCutConfig } from "./configurations.ts";
import { BootDecisionDifferential } from "./differential.ts";
import { type CutPlan, type RunOutcome, runUpdate, type Scenario } from "./update-run.ts";

export interface SuiteOptions {
  /** Random multi-cut runs, alternating update and rollback. */
  multiCutRuns: number;
  /** Multi-cut run i uses seed + i. */
  seed: number;
  /** The boot-decide binary: compare every boot state with the C decision. Unset: no differential. */
  bootDecide?: string;
  /** Signed images on a device that trusts their key (update-run.ts). */
  signed?: boolean;
}

export interface ConfigReport {
  config: string;
  /** Flash operations of the clean runs (the cut points per kind and scenario). */
  operations: Record<Scenario, number>;
  /** Single-cut runs per kind, both scenarios. */
  cutPoints: Record<CutKind, number>;
  multiCutRuns: number;
  multiCutsFired: number;
  /** Runs with at least one cut, and how many of them ended as they must. */
  runs: number;
  recovered: number;
  /** Most power-ons from a run's last cut to its end. */
  worstBootsToRecover: Record<Scenario, number>;
  differential: { offered: number; compared: number; mismatches: number };
  /** What went wrong, with what it takes to reproduce it (the first few). */
  failures: string[];
  failureCount: number;
}

const KEPT_FAILURES = 20;

export function runConfiguration(config: PowerCutConfig, module: WebAssembly.Module, options: SuiteOptions): ConfigReport {
  const differential = options.bootDecide ? new BootDecisionDifferential(module, flashAreas(config), options.bootDecide) : undefined;
  const onBootState = differential ? (image: Uint8Array) => differential.offer(image) : undefined;
  const report: ConfigReport = {
    config: config.name, operations: { update: 0, rollback: 0 }, cutPoints: { before: 0, after: 0, torn: 0 },
    multiCutRuns: 0, multiCutsFired: 0, runs: 0, recovered: 0, worstBootsToRecover: { update: 0, rollback: 0 },
    differential: { offered: 0, compared: 0, mismatches: 0 }, failures: [], failureCount: 0,
  };
  const fail = (message: string): void => {
    report.failureCount++;
    if (report.failures.length < KEPT_FAILURES) report.failures.push(`${config.name}: ${message}`);
  };
  const tally = (scenario: Scenario, what: string, outcome: RunOutcome, cutsExpected?: number): void => {
    report.runs++;
    const problems = [...outcome.problems];
    if (cutsExpected !== undefined && outcome.cuts.length !== cutsExpected) problems.push(`${outcome.cuts.length} cuts fired, ${cutsExpected} planned (is the run deterministic?)`);
    if (problems.length > 0) return fail(`${scenario}, ${what}: ${problems.join("; ")} [cuts: ${outcome.cuts.join(" | ")}]`);
    report.recovered++;
    report.worstBootsToRecover[scenario] = Math.max(report.worstBootsToRecover[scenario], outcome.bootsToRecover);
  };

  const traces: Partial<Record<Scenario, FlashOperation[]>> = {};
  for (const scenario of ["update", "rollback"] as const) {
    const signed = options.signed;
    const reference = runUpdate({ config, scenario, module, trace: true, onBootState, signed });
    if (reference.problems.length > 0) {
      fail(`${scenario} without a cut: ${reference.problems.join("; ")}`);
      continue;
    }
    traces[scenario] = reference.trace;
    report.operations[scenario] = reference.operations;
    for (const operation of reference.trace) {
      for (const cut of cutsAt(operation)) {
        const outcome = runUpdate({ config, scenario, module, cuts: (fired) => (fired === 0 ? cut : undefined), onBootState, signed });
        report.cutPoints[cut.kind]++;
        tally(scenario, `cut ${describeCut(cut)} at ${operation.kind} #${operation.index} (area ${operation.area}, offset ${operation.offset}, ${operation.length} bytes)`, outcome, 1);
      }
    }
  }

  for (let run = 0; run < options.multiCutRuns; run++) {
    const scenario: Scenario = run % 2 === 0 ? "update" : "rollback";
    const operations = traces[scenario]?.length;
    if (!operations) continue;
    const seed = options.seed + run;
    const outcome = runUpdate({ config, scenario, module, cuts: randomCuts(seed, operations), onBootState, signed: options.signed });
    report.multiCutRuns++;
    report.multiCutsFired += outcome.cuts.length;
    tally(scenario, `random cuts with seed ${seed} (rerun: npm run test:powercut -- --config ${config.name} --seed ${options.seed})`, outcome);
  }

  if (differential) {
    differential.flush();
    report.differential = { offered: differential.offered, compared: differential.compared, mismatches: differential.mismatches.length };
    for (const mismatch of differential.mismatches) fail(`boot decisions differ: ${mismatch}`);
  }
  return report;
}

/**
 * The cuts tried at one operation: before, after, and torn — a write with a random number of
 * bytes done and the next byte's bits partly programmed; an erase a random part done, the
 * rest as garbage, and again with the old bytes left (which may still read as a valid record).
 */
export function cutsAt(operation: FlashOperation): PowerCut[] {
  const at = operation.index;
  const seed = at + 1;
  const part = Math.floor((seededRandom(seed)() / 2 ** 32) * operation.length);
  const cuts: PowerCut[] = [{ at, kind: "before" }, { at, kind: "after" }];
  if (operation.kind === "write") {
    cuts.push({ at, kind: "torn", tornBytes: part, tornBits: true, seed });
  } else {
    cuts.push({ at, kind: "torn", tornErasedBytes: part, garbage: true, seed }, { at, kind: "torn", tornErasedBytes: part, garbage: false });
  }
  return cuts;
}

/** One to five cuts at random operations, of random kinds, reproducible from `seed`. */
export function randomCuts(seed: number, operations: number): CutPlan {
  const next = seededRandom(seed);
  const unit = (): number => next() / 2 ** 32;
  const below = (n: number): number => Math.floor(unit() * n);
  const count = 1 + below(5);
  const kinds: CutKind[] = ["before", "after", "torn"];
  return (fired, nextOperation) => {
    if (fired >= count) return undefined;
    return {
      at: nextOperation + below(operations),
      kind: kinds[below(3)],
      tornBytes: below([8, 64, 4096][below(3)]),
      tornBits: unit() < 0.5,
      tornErasedBytes: below([256, 4096, 131072][below(3)]),
      garbage: unit() < 0.5,
      seed: next(),
    };
  };
}

export function describeCut(cut: PowerCut): string {
  if (cut.kind !== "torn") return cut.kind;
  if (cut.tornErasedBytes !== undefined) return `torn (${cut.tornErasedBytes} bytes erased, rest ${cut.garbage ? "garbage" : "old"})`;
  return `torn (${cut.tornBytes} bytes programmed${cut.tornBits ? ", next byte's bits partly" : ""})`;
}
