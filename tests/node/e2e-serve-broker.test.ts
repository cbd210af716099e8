// `otau-sim serve --mqtt-broker <url>` with a real mosquitto the test starts: both emulators
// print that broker as their MQTT URL, and a Kaa config request published there by
// mosquitto_pub is answered there (mosquitto_sub sees the reply). Without the option serve
// prints its own mqtts:// brokers and the CA file that verifies them.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { MosquittoBroker } from "./support/mosquitto-broker.ts";
import { mosquittoSub } from "./support/mosquitto-clients.ts";

const BIN = fileURLToPath(new URL("../../firmware-sim/bin/otau-sim.mjs", import.meta.url));
const run = promisify(execFile);

/** otau-sim serve with `args`, and its stdout once it printed "Ctrl-C stops." */
async function serveUntilReady(args: string[]): Promise<{ serve: ChildProcessWithoutNullStreams; banner: string }> {
  const serve = spawn(process.execPath, [BIN, "serve", ...args]);
  serve.stdout.setEncoding("utf8");
  let banner = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not get ready:\n${banner}`)), 15_000);
    serve.stdout.on("data", (text: string) => {
      banner += text;
      if (banner.includes("Ctrl-C stops.")) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { serve, banner };
}

async function stop(serve: ChildProcessWithoutNullStreams): Promise<void> {
  if (serve.exitCode !== null) return;
  serve.kill("SIGINT");
  await once(serve, "exit");
}

describe("otau-sim serve and MQTT brokers", () => {
  let mosquitto: MosquittoBroker;
  before(async () => {
    mosquitto = await MosquittoBroker.start();
  });
  after(() => mosquitto.stop());

  it("--mqtt-broker attaches both emulators to it: Kaa answers a config request there", async () => {
    const { serve, banner } = await serveUntilReady(["--device", "dev-1", "--mqtt-broker", mosquitto.url]);
    try {
      assert.match(banner, new RegExp(`Murano MQTT\\s+${mosquitto.url}\\s`));
      assert.match(banner, new RegExp(`Kaa 1/KP MQTT\\s+${mosquitto.url}\\s`));
      const base = "kp1/app-1/cmx_ota/dev-1";
      const reply = mosquittoSub(["-h", "127.0.0.1", "-p", String(mosquitto.port), "-t", `${base}/config/json/+/status`], 1);
      await reply.ready;
      await run("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(mosquitto.port), "-t", `${base}/config/json/5`, "-m", '{"observe":true}']);
      assert.deepEqual(await reply.messages, [`${base}/config/json/5/status|{}`]);
    } finally {
      await stop(serve);
    }
  });

  it("without it, prints its own mqtts:// brokers and the CA file, removed on exit", async () => {
    const { serve, banner } = await serveUntilReady(["--device", "dev-1"]);
    const ca = banner.match(/MQTT TLS CA\s+(\S+)/)?.[1] ?? "";
    try {
      assert.match(banner, /Murano MQTT\s+mqtts:\/\/127\.0\.0\.1:\d+/);
      assert.match(banner, /Kaa 1\/KP MQTT\s+mqtts:\/\/127\.0\.0\.1:\d+/);
      assert.ok(existsSync(ca), `CA file ${ca}`);
    } finally {
      await stop(serve);
    }
    assert.equal(existsSync(ca), false);
  });
});
