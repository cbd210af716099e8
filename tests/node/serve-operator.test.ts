// `otau-sim serve --simulate` driven the way a script drives it: fixed ports and a fixed Kaa
// token, the stdin commands (help, publish, packages, apply-package, devices, status), and
// `otau-sim pack --json` / `--publish` against the running serve.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeFirmwareImage, sha256Hex } from "../../firmware-sim/device/firmware-image.ts";

const BIN = fileURLToPath(new URL("../../firmware-sim/bin/otau-sim.mjs", import.meta.url));
const TOKEN = "scripted-token-1";
let dir: string;
let serve: ChildProcessWithoutNullStreams;
let stdout = "";
let stderr = "";
let consolePort: number;
let kaaPort: number;

/** A port that was free a moment ago (the kernel hands out a fresh one each time). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Types a command and resolves with serve's output from then on, once `pattern` matches it. */
function command(line: string, pattern: RegExp, stream: "stdout" | "stderr" = "stdout", timeoutMs = 20_000): Promise<string> {
  const start = stream === "stdout" ? stdout.length : stderr.length;
  serve.stdin.write(`${line}\n`);
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const text = (stream === "stdout" ? stdout : stderr).slice(start);
      if (!pattern.test(text)) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve(text);
    }, 20);
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`"${line}": no ${pattern} on ${stream} within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "otau-sim-operator-"));
  writeFileSync(join(dir, "fw-2.0.0.bin"), makeFirmwareImage({ version: "2.0.0", size: 40_000 }));
  writeFileSync(join(dir, "fw-3.0.0.bin"), makeFirmwareImage({ version: "3.0.0", size: 30_000 }));
  writeFileSync(join(dir, "notes.txt"), "not firmware\n");
  consolePort = await freePort();
  kaaPort = await freePort();
  serve = spawn(process.execPath, [BIN, "serve", "--simulate", "--kaa-token", TOKEN, "--console-port", String(consolePort), "--kaa-http-port", String(kaaPort)], { cwd: dir });
  serve.stdout.setEncoding("utf8").on("data", (text: string) => { stdout += text; });
  serve.stderr.setEncoding("utf8").on("data", (text: string) => { stderr += text; });
  await command("", /Ctrl-C stops/);
});

after(async () => {
  serve.kill("SIGINT");
  const [code] = await once(serve, "exit");
  rmSync(dir, { recursive: true, force: true });
  assert.equal(code, 0, stderr);
});

it("listens on the ports it was given and accepts the fixed Kaa bearer token", async () => {
  assert.match(stdout, new RegExp(`console\\s+http://127\\.0\\.0\\.1:${consolePort}/`));
  const software = await fetch(`http://127.0.0.1:${kaaPort}/api/v1/applications/app-1/software`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(software.status, 200);
  const refused = await fetch(`http://127.0.0.1:${kaaPort}/api/v1/applications/app-1/software`, { headers: { Authorization: "Bearer other" } });
  assert.equal(refused.status, 401);
});

it("help lists every operator command", async () => {
  const text = await command("help", /status <device>/);
  for (const name of ["packages", "devices", "publish <image> <version> <name>", "apply-package <device|all> <package id>", "apply <device> <config_otau.json>"]) {
    assert.ok(text.includes(name), `help lacks ${name}:\n${text}`);
  }
});

it("publish on stdin lists the package; apply-package all updates the three simulated devices, which devices and status then show", async () => {
  const published = await command("publish fw-2.0.0.bin 2.0.0 Gateway firmware", /published package_\S+/);
  assert.match(published, /published package_acme_iot-gateway1_2-0-0 \(2\.0\.0, 40000 bytes\) at http:\/\/127\.0\.0\.1:\d+\/packages\//);
  const packages = await command("packages", /package_acme_iot-gateway1_2-0-0/);
  assert.match(packages, /2\.0\.0  Gateway firmware  40000 bytes  sha256 [0-9a-f]{64}  signed no/);

  const applied = await command("apply-package all package_acme_iot-gateway1_2-0-0", /applied to/);
  assert.match(applied, /applied to sim-murano-http \(murano\), sim-murano-mqtt \(murano\), sim-kaa \(kaa\)/);
  let devices = "";
  for (let tries = 0; tries < 60 && (devices.match(/installed 2\.0\.0/g) ?? []).length < 3; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    devices = await command("devices", /sim-kaa[^\n]*\n/);
  }
  assert.equal((devices.match(/installed 2\.0\.0/g) ?? []).length, 3, devices);
  assert.match(await command("status sim-kaa", /applied 2\.0\.0/), /applied 2\.0\.0/);
  assert.match(await command("status sim-murano-http", /INSTALLED_VERSION/), /"status":"INSTALLED_VERSION"/);
});

it("image writes a version's image that publish accepts, and refuses a bad size with exit 2", () => {
  const made = spawnSync(process.execPath, [BIN, "image", "--version", "2.5.0", "--size", "5000", "--out", "fw-2.5.0.bin"], { cwd: dir, encoding: "utf8" });
  assert.equal(made.status, 0, made.stderr);
  assert.match(made.stdout, /fw-2\.5\.0\.bin: version 2\.5\.0, 5000 bytes, sha256 [0-9a-f]{64}/);
  const bad = spawnSync(process.execPath, [BIN, "image", "--version", "2.5.0", "--size", "12x", "--out", "x.bin"], { cwd: dir, encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^otau-sim: --size must be a whole number from 256 to 67108864, got "12x"/);
});

it("pack --json prints one object; pack --publish uploads into the running serve, and refuses a non-image with exit 1", () => {
  const packed = spawnSync(process.execPath, [BIN, "pack", "--image", "fw-3.0.0.bin", "--version", "3.0.0", "--name", "three", "--json"], { cwd: dir, encoding: "utf8" });
  assert.equal(packed.status, 0, packed.stderr);
  const object = JSON.parse(packed.stdout);
  assert.equal(object.sha256, sha256Hex(makeFirmwareImage({ version: "3.0.0", size: 30_000 })));
  assert.equal(object.config_otau.version, "3.0.0");
  assert.equal(decodeURIComponent(object.otau_info).includes('"config_otau"'), true);

  const url = `http://127.0.0.1:${consolePort}/`;
  const pushed = spawnSync(process.execPath, [BIN, "pack", "--image", "fw-3.0.0.bin", "--version", "3.0.0", "--name", "three", "--publish", url], { cwd: dir, encoding: "utf8" });
  assert.equal(pushed.status, 0, pushed.stderr);
  assert.match(pushed.stdout, /published package_acme_iot-gateway1_3-0-0 \(3\.0\.0\)/);

  const refused = spawnSync(process.execPath, [BIN, "pack", "--image", "notes.txt", "--version", "4.0.0", "--name", "x", "--publish", url], { cwd: dir, encoding: "utf8" });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^otau-sim pack: serve refused the package \(HTTP 400\): the file is not a firmware image/);
});

it("publishes a release with a build per slot: pack --slot-addresses --publish, and publish-slots on stdin; the package lists each slot's build", async () => {
  const url = `http://127.0.0.1:${consolePort}/`;
  const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: "utf8" });
  const slotted = (version: string) => ["--slot-addresses", "A=0x10040000,B=0x10080000", "--version", version, "--name", "per slot"];
  for (const version of ["4.0.0", "5.0.0"]) assert.equal(run("image", "--version", version, "--size", "8000", "--out", `fw-${version}.bin`).status, 0);
  const pushed = run("pack", "--image", "fw-4.0.0.bin", ...slotted("4.0.0"), "--publish", url);
  assert.equal(pushed.status, 0, pushed.stderr);
  assert.match(pushed.stdout, /published package_acme_iot-gateway1_4-0-0 \(4\.0\.0\)/);
  assert.equal(run("pack", "--image", "fw-5.0.0.bin", ...slotted("5.0.0")).status, 0, "writes fw-5.0.0-A.bin and fw-5.0.0-B.bin");
  const published = await command("publish-slots fw-5.0.0-A.bin fw-5.0.0-B.bin 5.0.0 per slot", /published/);
  assert.match(published, /published package_acme_iot-gateway1_5-0-0 \(5\.0\.0\) with a build per slot: A at http:\/\/127\.0\.0\.1:\d+\/packages\/package_acme_iot-gateway1_5-0-0-A\.bin, B at /);
  const packages = await (await fetch(`${url}api/packages`)).json() as { id: string; url: string; slots?: { A: string; B: string } }[];
  for (const id of ["package_acme_iot-gateway1_4-0-0", "package_acme_iot-gateway1_5-0-0"]) {
    const perSlot = packages.find((p) => p.id === id);
    assert.ok(perSlot?.slots, JSON.stringify(packages));
    assert.equal(perSlot.url, perSlot.slots.B, "the ordinary payload is slot B's build");
    const served = Buffer.from(await (await fetch(perSlot.slots.A)).arrayBuffer());
    assert.equal(served.readUInt32LE(4), 0x10040000, "slot A's URL serves the build linked for slot A");
  }
});

it("answers bad commands on stderr, naming the problem", async () => {
  assert.match(await command("frobnicate", /unknown/, "stderr"), /otau-sim serve: unknown command "frobnicate"; type help for the list/);
  assert.match(await command("apply-package gw-nope package_acme_iot-gateway1_2-0-0", /no device/, "stderr"), /no device "gw-nope"; known: sim-murano-http, sim-murano-mqtt, sim-kaa/);
  assert.match(await command("publish notes.txt 5.0.0 x", /not a firmware image/, "stderr"), /not a firmware image/);
});
