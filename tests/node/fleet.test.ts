// otau-sim fleet: how devices are planned, the shared tick clock, and a small fleet run end
// to end — the clouds in their own process, devices over three device processes, two waves
// (Murano packages applied per wave, a Kaa targeted rollout with a filter and a date each),
// and 48 devices whose MQTT (Murano and Kaa 1/KP) goes through a real three-node NATS cluster.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { Setting } from "../../firmware-sim/agent/agent-instance.ts";
import { planDevices, runFleet } from "../../firmware-sim/fleet/fleet-run.ts";
import { SharedTickClock } from "../../firmware-sim/fleet/tick-clock.ts";
import { NatsCluster } from "./support/nats-cluster.ts";

const BIN = fileURLToPath(new URL("../../firmware-sim/bin/otau-sim.mjs", import.meta.url));

test("planDevices gives each transport its share of the mix, interleaved, and waves as consecutive blocks", () => {
  const devices = planDevices(12, { "murano-http": 2, "murano-mqtt": 1, kaa: 1 }, 3);
  const count = (t: string) => devices.filter((d) => d.transport === t).length;
  assert.deepEqual([count("murano-http"), count("murano-mqtt"), count("kaa")], [6, 3, 3]);
  assert.deepEqual(devices.slice(0, 4).map((d) => d.transport).sort(), ["kaa", "murano-http", "murano-http", "murano-mqtt"]);
  assert.deepEqual(devices.map((d) => d.wave), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  assert.equal(new Set(devices.map((d) => d.id)).size, 12);
});

test("SharedTickClock runs callbacks in time order on one timer, never synchronously, and skips cancelled ones", async () => {
  const clock = new SharedTickClock(5);
  const ran: string[] = [];
  const now = clock.now();
  clock.at(now + 30, () => ran.push("c"));
  clock.at(now + 10, () => ran.push("a"));
  const cancel = clock.at(now + 20, () => ran.push("cancelled"));
  clock.at(now + 10, () => ran.push("b"));
  clock.at(now - 100, () => ran.push("due"));
  cancel();
  assert.deepEqual(ran, [], "nothing runs inside at()");
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.deepEqual(ran, ["due", "a", "b", "c"]);
});

test("a fleet of 45 devices over three device processes, in two waves, ends with every device on 2.0.0 as its cloud reports it", { timeout: 120_000 }, async () => {
  const waveIntervalMs = 2000;
  const result = await runFleet({
    devices: 45,
    mix: { "murano-http": 1, "murano-mqtt": 1, kaa: 1 },
    imageBytes: 32 * 1024,
    waves: 2,
    waveIntervalMs,
    // Patient settings: the suite shares the machine with other jobs.
    settings: { [Setting.StallTimeoutMs]: 10_000, [Setting.MaxAttempts]: 10, [Setting.RetryCooldownMs]: 2000 },
    tickMs: 20,
    devicesPerProcess: 15,
    bootsPerSecond: 200,
    timeoutMs: 90_000,
  });
  assert.equal(result.processes, 3);
  assert.equal(result.timedOut, false);
  assert.deepEqual(result.notConfirmed, []);
  assert.equal(result.cloudConfirmed, 45);
  assert.equal(result.installed, 45);
  assert.ok(result.installedAtMs.p100 !== undefined && result.installedAtMs.p50! <= result.installedAtMs.p100);
  // The second wave's devices (Murano applied late, Kaa filter dated late) start no earlier than their date.
  assert.ok(result.firstInstalledByWaveMs[1]! >= waveIntervalMs, `wave 2 first installed at ${result.firstInstalledByWaveMs[1]} ms`);
  assert.ok(result.cpuMsPerDevice > 0 && result.rssBytesPerDevice > 0);
});

test("48 devices, their Murano MQTT and Kaa 1/KP through a 3-node NATS cluster, a device process per node, all end on 2.0.0 as their cloud reports it", { timeout: 150_000 }, async () => {
  const cluster = await NatsCluster.start(3);
  try {
    const before = await cluster.totalConnections();
    const result = await runFleet({
      devices: 48,
      // Murano MQTT devices hear of the update only if their subscription took effect before
      // the write: the rollout starts once every device listens (docs/fleet.md).
      mix: { "murano-http": 1, "murano-mqtt": 1, kaa: 1 },
      imageBytes: 32 * 1024,
      waves: 1,
      waveIntervalMs: 0,
      settings: { [Setting.StallTimeoutMs]: 10_000, [Setting.MaxAttempts]: 10, [Setting.RetryCooldownMs]: 2000 },
      tickMs: 20,
      devicesPerProcess: 16,
      bootsPerSecond: 200,
      timeoutMs: 120_000,
      brokers: cluster.mqttUrls,
    });
    assert.deepEqual(result.notConfirmed, []);
    assert.equal(result.cloudConfirmed, 48);
    // 16 devices per node, 10 or 11 of them over MQTT (Murano or Kaa), each connecting at least once.
    const added = (await cluster.totalConnections()).map((total, i) => total - before[i]);
    for (const [node, count] of added.entries()) assert.ok(count >= 10, `node ${node + 1} took ${count} connections: ${added}`);
  } finally {
    await cluster.stop();
  }
});

test("otau-sim fleet refuses an unknown transport in --mix with one line and exit 2", () => {
  const run = spawnSync(process.execPath, [BIN, "fleet", "--devices", "3", "--mix", "murano-http:1,zigbee:2"], { encoding: "utf8" });
  assert.equal(run.status, 2);
  assert.equal(run.stderr, 'otau-sim: --mix names "zigbee"; transports are murano-http, murano-mqtt, kaa\n');
});

test("otau-sim fleet refuses an unknown --pace with one line and exit 2", () => {
  const run = spawnSync(process.execPath, [BIN, "fleet", "--devices", "3", "--pace", "leisurely"], { encoding: "utf8" });
  assert.equal(run.status, 2);
  assert.equal(run.stderr, 'otau-sim: --pace is "leisurely"; paces are fast, field\n');
});
