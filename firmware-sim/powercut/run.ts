// `npm run test:powercut`: the power-cut suite over the whole configuration matrix, spread
// over worker processes. Prints a line per configuration, then the totals; exits 1 when any
// run did not end as it must or the two boot decisions disagreed on any state.
//   --config <text>        only configurations whose name contains it
//   --seed <n>             seed of the random multi-cut runs (default 1)
//   --multi-cut-runs <n>   random multi-cut runs per configuration (default 20)
//   --workers <n>          worker processes (default: available cores)
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { compileBootDecide } from "./c-boot-decide.ts";
import { fullMatrix } from "./configurations.ts";
import type { ConfigReport, SuiteOptions } from "./suite.ts";
import type { WorkerRequest } from "./worker.ts";

function usage(message: string): never {
  process.stderr.write(`test:powercut: ${message}\n`);
  process.exit(1);
}

function wholeNumber(name: string, text: string | undefined, fallback: number, minimum: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) usage(`--${name} must be a whole number ≥ ${minimum}, got '${text}'`);
  return value;
}

let args;
try {
  args = parseArgs({
    options: { config: { type: "string" }, seed: { type: "string" }, "multi-cut-runs": { type: "string" }, workers: { type: "string" } },
  }).values;
} catch (error) {
  usage((error as Error).message);
}
const configs = fullMatrix().filter((config) => config.name.includes(args.config ?? ""));
if (configs.length === 0) usage(`no configuration name contains '${args.config}'`);
const work = mkdtempSync(join(tmpdir(), "powercut-"));
const options: SuiteOptions = {
  seed: wholeNumber("seed", args.seed, 1, 0),
  multiCutRuns: wholeNumber("multi-cut-runs", args["multi-cut-runs"], 20, 0),
  bootDecide: join(work, "boot-decide"),
};
const workers = Math.min(configs.length, wholeNumber("workers", args.workers, availableParallelism(), 1));
compileBootDecide(options.bootDecide!);

const started = performance.now();
const reports: ConfigReport[] = [];
const queue = [...configs];
const workerPath = fileURLToPath(new URL("./worker.ts", import.meta.url));
await Promise.all(Array.from({ length: workers }, () => new Promise<void>((resolve, reject) => {
  const child = fork(workerPath, { execArgv: ["--import", "tsx"] });
  let current: string | undefined;
  let configStarted = 0;
  const sendNext = (): void => {
    const config = queue.shift();
    if (!config) {
      child.disconnect();
      return resolve();
    }
    current = config.name;
    configStarted = performance.now();
    child.send({ config: config.name, options } satisfies WorkerRequest);
  };
  child.on("message", (message: "ready" | ConfigReport) => {
    if (message !== "ready") {
      reports.push(message);
      console.log(summaryLine(message, performance.now() - configStarted));
    }
    sendNext();
  });
  child.on("exit", (code) => {
    if (code !== 0 && current !== undefined && !reports.some((r) => r.config === current)) reject(new Error(`worker stopped (exit ${code}) while running ${current}`));
  });
})));
rmSync(work, { recursive: true, force: true });

const sum = (pick: (r: ConfigReport) => number): number => reports.reduce((total, r) => total + pick(r), 0);
const worst = (pick: (r: ConfigReport) => number): number => Math.max(0, ...reports.map(pick));
const failures = reports.flatMap((r) => r.failures);
const failureCount = sum((r) => r.failureCount);
console.log([
  ``,
  `power-cut suite: ${reports.length} configurations (${fullMatrix().length} in the matrix), ${workers} worker${workers === 1 ? "" : "s"}, ${((performance.now() - started) / 1000).toFixed(0)} s`,
  `  single-cut runs per kind (update + rollback): before ${sum((r) => r.cutPoints.before)}, after ${sum((r) => r.cutPoints.after)}, torn ${sum((r) => r.cutPoints.torn)}`,
  `  random multi-cut runs: ${sum((r) => r.multiCutRuns)} (${sum((r) => r.multiCutsFired)} cuts fired, seed ${options.seed})`,
  `  recovered: ${sum((r) => r.recovered)} of ${sum((r) => r.runs)} runs`,
  `  worst-case boots from the last cut to the end: update ${worst((r) => r.worstBootsToRecover.update)}, rollback ${worst((r) => r.worstBootsToRecover.rollback)}`,
  `  differential: ${sum((r) => r.differential.compared)} distinct boot states (of ${sum((r) => r.differential.offered)} boots) decided by the agent and by C, each without and with image checks, ${sum((r) => r.differential.mismatches)} disagreements`,
].join("\n"));
if (failureCount > 0) {
  console.log(`\n${failureCount} failures; the first ones:\n${failures.join("\n")}`);
  process.exit(1);
}

function summaryLine(r: ConfigReport, ms: number): string {
  return `${r.config.padEnd(32)} ops ${r.operations.update}/${r.operations.rollback}  cuts ${r.cutPoints.before}/${r.cutPoints.after}/${r.cutPoints.torn}` +
    `  multi ${r.multiCutRuns} (${r.multiCutsFired} cuts)  recovered ${r.recovered}/${r.runs}` +
    `  worst boots ${r.worstBootsToRecover.update}/${r.worstBootsToRecover.rollback}  differential ${r.differential.compared}` +
    `${r.failureCount > 0 ? `  FAILURES ${r.failureCount}` : ""}  ${(ms / 1000).toFixed(1)} s`;
}
