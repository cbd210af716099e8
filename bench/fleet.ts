// `npm run bench:fleet`: otau-sim fleet at growing sizes, one 160 KiB image, one third per
// transport, all at once. Each row names its pace (firmware-sim/fleet/pace.ts): the
// simulator's fast demo timing for 100 to 5,000 devices, the field timing (the agent's
// default settings) for 10,000 and 15,000. FLEET_ROWS overrides, e.g. "1000:fast,20000:field".
// Prints N against time to 50/90/99/100 % installed (as devices report it) and to the clouds
// confirming every device, devices lost (not confirmed by their cloud), failures, retries,
// the cost per device and the load average at the row's end;
// after a row that loses devices the larger rows of the same pace are skipped.
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { runFleet, type FleetResult } from "../firmware-sim/fleet/fleet-run.ts";
import { PACES, PACE_NAMES, describePace, type PaceName } from "../firmware-sim/fleet/pace.ts";

const ROWS = (process.env.FLEET_ROWS ?? "100:fast,1000:fast,2500:fast,5000:fast,10000:field,15000:field").split(",").map((row) => {
  const [n, pace = "fast"] = row.split(":");
  if (!(PACE_NAMES as readonly string[]).includes(pace) || !(Number(n) > 0)) throw new Error(`FLEET_ROWS: "${row}" is not <devices>:<${PACE_NAMES.join("|")}>`);
  return { devices: Number(n), pace: pace as PaceName };
});
const TIMEOUT_MS = Number(process.env.FLEET_TIMEOUT_S ?? 900) * 1000;
const MAX_DEVICES_PER_PROCESS = 2000;

const seconds = (ms: number | undefined) => (ms === undefined ? "-" : (ms / 1000).toFixed(1));

console.log(`# ${cpus()[0]?.model ?? "cpu"} x${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadavg()[0].toFixed(1)} at start`);
for (const name of new Set(ROWS.map((row) => row.pace))) console.log(`# ${name}: ${describePace(PACES[name])}`);
const header = ["N", "pace", "procs", "boot s", "50 % s", "90 % s", "99 % s", "100 % s", "confirmed s", "lost", "failures", "retries", "CPU ms/dev", "RSS KiB/dev", "cloud CPU s", "load"];
console.log(header.join("\t"));
const lossy = new Set<PaceName>();
for (const { devices, pace } of ROWS) {
  if (lossy.has(pace)) continue;
  let result: FleetResult;
  try {
    result = await runFleet({
      devices,
      mix: { "murano-http": 1, "murano-mqtt": 1, kaa: 1 },
      imageBytes: 160 * 1024,
      waves: 1,
      waveIntervalMs: 0,
      settings: PACES[pace].settings,
      tickMs: PACES[pace].tickMs,
      devicesPerProcess: Math.min(MAX_DEVICES_PER_PROCESS, Math.ceil(devices / availableParallelism())),
      bootsPerSecond: 500,
      timeoutMs: TIMEOUT_MS,
    });
  } catch (error) {
    console.log(`${devices}\t${pace}\tfailed: ${(error as Error).message}`);
    lossy.add(pace);
    continue;
  }
  const failures = Object.values(result.failures).reduce((a, b) => a + b, 0);
  const t = result.installedAtMs;
  console.log([
    devices, pace, result.processes, seconds(result.bootMs), seconds(t.p50), seconds(t.p90), seconds(t.p99), seconds(t.p100), seconds(result.confirmedAtMs),
    devices - result.cloudConfirmed, failures, result.retries, result.cpuMsPerDevice.toFixed(1),
    (result.rssBytesPerDevice / 1024).toFixed(0), (result.cloudCpuMs / 1000).toFixed(1), loadavg()[0].toFixed(1),
  ].join("\t"));
  for (const [cause, n] of Object.entries(result.failures)) console.log(`#   ${n} × ${cause}`);
  if (result.cloudConfirmed < devices) lossy.add(pace);
}
