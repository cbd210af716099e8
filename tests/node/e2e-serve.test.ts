// `otau-sim serve` as an integrator uses it: the bin in its own process prints the emulators'
// URLs, a package applied on stdin reaches a device that talks to those URLs over loopback,
// `status` lists what the device reported, and Ctrl-C (SIGINT) stops it with exit 0.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileAgent } from "../../firmware-sim/agent/agent-instance.ts";
import { makeFirmwareImage, sha256Hex } from "../../firmware-sim/device/firmware-image.ts";
import { loopbackDevice, runsConfirmed, waitFor } from "../../firmware-sim/device/loopback-device.ts";
import { MuranoHttpLink } from "../../firmware-sim/device/murano-http-link.ts";

const BIN = fileURLToPath(new URL("../../firmware-sim/bin/otau-sim.mjs", import.meta.url));
const DEVICE = "gw-serve";
const image = makeFirmwareImage({ version: "3.1.0", size: 30_000 });

let dir: string;
let serve: ChildProcessWithoutNullStreams;
let output = "";

/** Resolves with the first match of `pattern` in serve's stdout, waiting for more output as needed. */
function outputMatch(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const match = output.match(pattern);
      if (!match) return;
      clearTimeout(timer);
      serve.stdout.off("data", check);
      resolve(match);
    };
    const timer = setTimeout(() => reject(new Error(`serve printed no ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    serve.stdout.on("data", check);
    check();
  });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "otau-sim-serve-"));
  writeFileSync(join(dir, "fw-3.1.0.bin"), image);
  serve = spawn(process.execPath, [BIN, "serve", "--device", DEVICE, "--image", "fw-3.1.0.bin"], { cwd: dir });
  serve.stdout.setEncoding("utf8");
  serve.stdout.on("data", (text: string) => { output += text; });
});

after(() => {
  if (serve.exitCode === null) serve.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

it("serves the clouds until SIGINT: a package applied on stdin updates a device over the printed URLs, status lists its otau_in, exit 0", async () => {
  const [, muranoUrl] = await outputMatch(/Murano HTTP Device API\s+(http:\/\/127\.0\.0\.1:\d+)/);
  const [, imageUrl] = await outputMatch(/^\s+(http:\/\/127\.0\.0\.1:\d+\/fw-3\.1\.0\.bin)$/m);

  const link = new MuranoHttpLink({ url: muranoUrl, identity: DEVICE, pollTimeoutMs: 5_000 });
  const device = loopbackDevice({
    id: DEVICE, module: await compileAgent(), factoryImage: makeFirmwareImage({ version: "3.0.0", size: 20_000 }),
    slotBytes: 64 * 1024, cloud: link,
  });
  device.powerOn();
  try {
    const configPath = join(dir, "config_otau.json");
    writeFileSync(configPath, JSON.stringify({
      version: "3.1.0", name: "fw", type: "FILE", payload: imageUrl, sha256: sha256Hex(image), size: image.length,
    }));
    serve.stdin.write(`apply ${DEVICE} ${configPath}\n`);
    await outputMatch(/config_otau 3\.1\.0 written to gw-serve/);
    await waitFor(device, runsConfirmed("3.1.0"), 20_000, "3.1.0 confirmed");
    await link.flushed();

    serve.stdin.write(`status ${DEVICE}\n`);
    await outputMatch(/"status":"INSTALLED_VERSION".*"version":"3\.1\.0"|"version":"3\.1\.0".*"status":"INSTALLED_VERSION"/);
    serve.stdin.write("frobnicate\n");
    const [complaint] = await once(serve.stderr, "data");
    assert.match(String(complaint), /otau-sim serve: unknown command "frobnicate"; type help for the list/);
  } finally {
    device.powerOff();
    link.close();
  }
  serve.kill("SIGINT");
  const [code] = await once(serve, "exit");
  assert.equal(code, 0);
  assert.match(output, /Ctrl-C stops/);
});
