// How otau-sim fleet shows a run: on a terminal one line redrawn in place (a bar of the
// installed share and the count in each phase); into a file or a pipe a plain line every
// few seconds. Then the final report.
import type { FleetResult, FleetSnapshot } from "./fleet-run.ts";
import { PHASES } from "./plan.ts";

const BAR_WIDTH = 24;
const PLAIN_EVERY_MS = 5000;

export interface FleetView {
  progress(snapshot: FleetSnapshot): void;
  note(text: string): void;
  stop(): void;
}

export function fleetView(stream: NodeJS.WriteStream = process.stdout): FleetView {
  let last = "";
  let lastPlainAt = -Infinity;
  const clear = () => {
    if (stream.isTTY && last) stream.write("\r\x1b[K");
  };
  return {
    progress(snapshot) {
      const line = progressLine(snapshot);
      if (stream.isTTY) {
        stream.write(`\r\x1b[K${line.slice(0, (stream.columns ?? 120) - 1)}`);
        last = line;
      } else if (snapshot.elapsedMs - lastPlainAt >= PLAIN_EVERY_MS || snapshot.counts.installed === snapshot.total) {
        if (line !== last) stream.write(`${line}\n`);
        last = line;
        lastPlainAt = snapshot.elapsedMs;
      }
    },
    note(text) {
      clear();
      stream.write(`${text}\n`);
      if (stream.isTTY && last) stream.write(last);
    },
    stop() {
      if (stream.isTTY && last) stream.write("\n");
      last = "";
    },
  };
}

export function progressLine(snapshot: FleetSnapshot): string {
  const done = snapshot.counts.installed / snapshot.total;
  const filled = Math.round(done * BAR_WIDTH);
  const bar = `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}]`;
  const phases = PHASES.filter((p) => p !== "installed" && snapshot.counts[p] > 0).map((p) => `${p} ${snapshot.counts[p]}`).join(", ");
  return `${seconds(snapshot.elapsedMs).padStart(7)} ${bar} ${snapshot.counts.installed}/${snapshot.total} installed${phases ? `; ${phases}` : ""}`;
}

export function reportText(result: FleetResult): string {
  const t = result.installedAtMs;
  const at = (ms: number | undefined) => (ms === undefined ? "not reached" : seconds(ms));
  const lines = [
    `devices          ${result.devices} in ${result.processes} device process${result.processes === 1 ? "" : "es"} (booted in ${seconds(result.bootMs)})`,
    `installed        ${result.installed}; the clouds confirm ${result.cloudConfirmed}${result.timedOut ? " (timed out)" : ""}${result.confirmedAtMs === undefined ? "" : ` (all at ${seconds(result.confirmedAtMs)})`}`,
    `time installed   50 % ${at(t.p50)}, 90 % ${at(t.p90)}, 99 % ${at(t.p99)}, 100 % ${at(t.p100)}`,
    `retries          ${result.retries}`,
    `failures         ${Object.values(result.failures).reduce((a, b) => a + b, 0)}`,
    ...Object.entries(result.failures).sort((a, b) => b[1] - a[1]).map(([cause, n]) => `  ${String(n).padStart(6)}  ${cause}`),
    `per device       ${result.cpuMsPerDevice.toFixed(1)} ms CPU during the rollout, ${(result.rssBytesPerDevice / 1024).toFixed(0)} KiB RSS`,
    `clouds, content  ${(result.cloudCpuMs / 1000).toFixed(1)} s CPU during the rollout, ${(result.cloudRssBytes / 2 ** 20).toFixed(0)} MiB RSS at most`,
  ];
  if (result.notConfirmed.length > 0) lines.push(`not on the new version: ${result.notConfirmed.slice(0, 10).join(", ")}${result.notConfirmed.length > 10 ? ", …" : ""}`);
  return lines.join("\n");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
