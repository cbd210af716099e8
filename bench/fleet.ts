// `npm run bench:fleet`: otau-sim fleet at growing sizes (100, 1,000, then 2,500, 5,000,
// 10,000 unless FLEET_SIZES says otherwise), the simulator's fast settings, one 160 KiB
// image, one third per transport, all at once. Prints N against time to 50/99/100 %
// installed (a 5 s cool-down after the last attempt), devices lost (not confirmed by their cloud), failures, retries and the cost per
// device; stops growing after the first size that loses devices or times out.
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { Setting } from "../firmware-sim/agent/agent-instance.ts";
import { runFleet, type FleetResult } from "../firmware-sim/fleet/fleet-run.ts";

const SIZES = (process.env.FLEET_SIZES ?? "100,1000,2500,5000,10000").split(",").map(Number);
const TIMEOUT_MS = Number(process.env.FLEET_TIMEOUT_S ?? 600) * 1000;
const MAX_DEVICES_PER_PROCESS = 2000;

const seconds = (ms: number | undefined) => (ms === undefined ? "-" : (ms / 1000).toFixed(1));

console.log(`# ${cpus()[0]?.model ?? "cpu"} x${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadavg()[0].toFixed(1)} at start`);
const header = ["N", "procs", "boot s", "50 % s", "99 % s", "100 % s", "lost", "failures", "retries", "CPU ms/dev", "RSS KiB/dev", "cloud CPU s", "load"];
console.log(header.join("\t"));
for (const devices of SIZES) {
  let result: FleetResult;
  try {
    result = await runFleet({
      devices,
      mix: { "murano-http": 1, "murano-mqtt": 1, kaa: 1 },
      imageBytes: 160 * 1024,
      waves: 1,
      waveIntervalMs: 0,
      settings: { [Setting.RetryCooldownMs]: 5000 },
      devicesPerProcess: Math.min(MAX_DEVICES_PER_PROCESS, Math.ceil(devices / availableParallelism())),
      bootsPerSecond: 500,
      timeoutMs: TIMEOUT_MS,
    });
  } catch (error) {
    console.log(`${devices}\tfailed: ${(error as Error).message}`);
    break;
  }
  const failures = Object.values(result.failures).reduce((a, b) => a + b, 0);
  const t = result.installedAtMs;
  console.log([
    devices, result.processes, seconds(result.bootMs), seconds(t.p50), seconds(t.p99), seconds(t.p100),
    devices - result.cloudConfirmed, failures, result.retries, result.cpuMsPerDevice.toFixed(1),
    (result.rssBytesPerDevice / 1024).toFixed(0), (result.cloudCpuMs / 1000).toFixed(1), loadavg()[0].toFixed(1),
  ].join("\t"));
  for (const [cause, n] of Object.entries(result.failures)) console.log(`#   ${n} × ${cause}`);
  if (result.cloudConfirmed < devices) break;
}
