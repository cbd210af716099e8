// Golden traces of the agent in a herd: retry delays jittered from the host's seed (and
// exact without one), and the cool-down after the last attempt, which tries the same update
// again (doubling, jittered, each try reported) so that a fleet recovers from an outage
// with nobody applying the update anew.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigSource, Device, FILE_URL, Setting, fileConfig, image, norFlash } from "./support/engine-device.ts";

const MURANO = ConfigSource.MuranoConfigOtau;

/** The delays of `attempts` failed attempts (HTTP 503), as the agent reports them. */
async function retryDelays(seed: number, attempts = 4): Promise<number[]> {
  const device = await Device.start(norFlash(), {
    settings: [[Setting.MaxAttempts, attempts + 1], [Setting.RetryBaseMs, 1000], [Setting.RetryMaxMs, 1000], [Setting.JitterSeed, seed]],
  });
  device.config(MURANO, fileConfig(image(1000)));
  const delays: number[] = [];
  let now = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    device.agent.onResponse(503, 0, 0);
    delays.push(Number(/retrying in (\d+) ms/.exec(device.last().message)![1]));
    now += 2000;
    device.agent.onTick(now);
  }
  return delays;
}

test("with a jitter seed each retry waits between half and all of its delay, differently for devices with other seeds", async () => {
  const a = await retryDelays(0x1234_5678);
  const b = await retryDelays(0x9abc_def0);
  for (const delay of [...a, ...b]) assert.ok(delay >= 500 && delay <= 1000, `delay ${delay} ms`);
  assert.notDeepEqual(a, b, "two seeds, two sequences");
  assert.ok(new Set(a).size > 1, `one device's delays vary: ${a}`);
  assert.deepEqual(await retryDelays(0x1234_5678), a, "the same seed, the same delays");
});

test("without a jitter seed every retry waits exactly its delay", async () => {
  assert.deepEqual(await retryDelays(0), [1000, 1000, 1000, 1000]);
});

test("after the last attempt a cool-down tries the same update again, doubling, each try reported, until it installs", async () => {
  const device = await Device.start(norFlash(), {
    settings: [[Setting.MaxAttempts, 2], [Setting.RetryBaseMs, 100], [Setting.RetryMaxMs, 100], [Setting.RetryCooldownMs, 5000]],
  });
  const body = image(20_000);
  device.config(MURANO, fileConfig(body));
  let now = 0;
  const messages: string[] = [];
  const fail = (): void => {
    device.agent.onResponse(503, 0, 0);
    messages.push(`${device.last().status} ${device.last().message}`);
  };
  fail();
  device.agent.onTick((now += 100));
  fail();
  assert.equal(device.agent.state(), 3, "Backoff: the update goes on");
  device.agent.onTick((now += 4999));
  assert.equal(device.fetches.length, 2, "nothing is fetched before the cool-down is over");
  device.agent.onTick((now += 1));
  messages.push(`${device.last().status} ${device.last().message}`);
  assert.equal(device.fetches.length, 3);
  fail();
  device.agent.onTick((now += 100));
  fail();
  assert.deepEqual(messages, [
    "DOWNLOAD_STEP attempt 1 of 2 failed (HTTP 503 for file 1 of 1); retrying in 100 ms from byte 0",
    "DOWNLOAD_ERROR gave up after 2 attempts: HTTP 503 for file 1 of 1; trying again in 5000 ms (cool-down 1)",
    "DOWNLOAD_STEP cool-down 1 over: trying file 1 of 1 again from byte 0",
    "DOWNLOAD_STEP attempt 1 of 2 failed (HTTP 503 for file 1 of 1); retrying in 100 ms from byte 0",
    "DOWNLOAD_ERROR gave up after 2 attempts: HTTP 503 for file 1 of 1; trying again in 10000 ms (cool-down 2)",
  ]);
  device.agent.onTick((now += 10_000));
  assert.deepEqual(device.fetches.at(-1), { url: FILE_URL, offset: 0 });
  device.serve(body, { status: 200 });
  assert.equal(device.names().at(-1), "INSTALL_STEP", "the outage is over: the same update installs");
});

test("a cool-down is jittered with the seed and resumes the file from the byte reached", async () => {
  const device = await Device.start(norFlash(), {
    settings: [[Setting.MaxAttempts, 1], [Setting.RetryCooldownMs, 60_000], [Setting.JitterSeed, 42]],
  });
  const body = image(30_000, 3);
  device.config(MURANO, fileConfig(body));
  device.agent.onResponse(200, 0, body.length);
  device.agent.onData(body.subarray(0, 8192));
  device.agent.onDataEnd(false);
  const delay = Number(/trying again in (\d+) ms/.exec(device.last().message)![1]);
  assert.equal(device.last().status, "DOWNLOAD_ERROR");
  assert.ok(delay >= 30_000 && delay < 60_000, `cool-down ${delay} ms`);
  device.agent.onTick(delay);
  assert.deepEqual(device.fetches.at(-1), { url: FILE_URL, offset: 8192 });
});
