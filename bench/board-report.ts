// The QEMU board's footprint and per-byte cost, measured by its own bring-up script
// (boards/qemu-mps2-an386/bringup.sh: sizes from the linker map, RAM high-water, QEMU
// -icount instruction counts), so that `npm run bench` shows the MCU figures beside the
// host's. Without the ARM toolchain or QEMU the board is reported as not measured.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { NotMeasured } from "./report.ts";

const REPORT_HEADING = "== qemu-mps2-an386 bring-up report";

export interface BoardReport {
  /** The report's lines as bringup.sh printed them. */
  lines: string[];
}

export function qemuBoardReport(root: string): BoardReport | NotMeasured {
  const run = spawnSync("sh", [join(root, "boards", "qemu-mps2-an386", "bringup.sh")], { cwd: root, encoding: "utf8", timeout: 600_000 });
  if (run.error) return { notMeasured: `bringup.sh could not run: ${run.error.message}` };
  if (run.status !== 0) {
    const why = run.stderr.trim().split("\n").at(-1) ?? `exit ${run.status}`;
    return { notMeasured: `bringup.sh failed: ${why}` };
  }
  const at = run.stdout.indexOf(REPORT_HEADING);
  if (at < 0) return { notMeasured: "bringup.sh printed no report" };
  return { lines: run.stdout.slice(at).trimEnd().split("\n") };
}
