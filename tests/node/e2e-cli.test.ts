// `otau-sim run --json` as a user runs it: the package's bin spawned in its own process,
// its stdout parsed line by line, its exit code and its one-line errors checked.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeFirmwareImage, sha256Hex } from "../../firmware-sim/device/firmware-image.ts";
import { imgtoolDumpinfo, imgtoolKeygen, imgtoolSign, imgtoolVerifies } from "./support/imgtool.ts";

const BIN = fileURLToPath(new URL("../../firmware-sim/bin/otau-sim.mjs", import.meta.url));
const image = makeFirmwareImage({ version: "1.2.0", size: 40_000 });
let dir: string;
let configPath: string;
let imagePath: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "otau-sim-cli-"));
  imagePath = join(dir, "fw-1.2.0.bin");
  configPath = join(dir, "config_otau.json");
  writeFileSync(imagePath, image);
  // The URL names a host that does not exist: only the rewrite to the content server can fetch it.
  writeFileSync(configPath, JSON.stringify({
    version: "1.2.0", name: "fw", type: "FILE", payload: "https://updates.example.invalid/acme/fw-1.2.0.bin",
    sha256: sha256Hex(image), size: image.length,
  }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function otauSim(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr });
    });
  });
}

interface JsonRun extends Run {
  otauIn: Array<{ version: string; status: string; message: string }>;
  result: { result: string; installed: string; slot: string; flash_ops: number };
}

async function runJson(...args: string[]): Promise<JsonRun> {
  const run = await otauSim("run", "--config", configPath, "--image", imagePath, "--json", ...args);
  const lines = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  const last = lines.pop() as JsonRun["result"];
  assert.ok(lines.every((line) => Object.keys(line).join() === "otau_in"), "every line but the last is {\"otau_in\": …}");
  assert.deepEqual(Object.keys(last), ["result", "installed", "slot", "flash_ops"]);
  return { ...run, otauIn: lines.map((line) => line.otau_in as JsonRun["otauIn"][number]), result: last };
}

const statuses = (run: JsonRun) => run.otauIn.map((d) => `${d.status} ${d.version}`);

describe("otau-sim run --json", () => {
  it("updates from the built-in 0.0.0 to the config's version, one otau_in object per line, result ok, exit 0", async () => {
    const run = await runJson();
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.result.result, "ok");
    assert.deepEqual([run.result.installed, run.result.slot], ["1.2.0", "B"]);
    assert.ok(run.result.flash_ops > 0);
    assert.deepEqual(statuses(run).at(0), "INSTALLED_VERSION 0.0.0");
    assert.deepEqual(statuses(run).slice(-2), ["INSTALL_SUCCESS 1.2.0", "INSTALLED_VERSION 1.2.0"]);
  });

  it("a fault on every request ends in DOWNLOAD_ERROR naming it, result failed on 0.0.0 in slot A, exit 1", async () => {
    const run = await runJson("--fault", "status:404");
    assert.equal(run.code, 1);
    assert.deepEqual(run.result, { result: "failed", installed: "0.0.0", slot: "A", flash_ops: run.result.flash_ops });
    const error = run.otauIn.find((d) => d.status === "DOWNLOAD_ERROR");
    assert.match(error?.message ?? "", /HTTP 404 for file 1 of 1/);
  });

  it("repeated --fault specs apply in turn: two dropped connections, then a clean answer, and the download resumes", async () => {
    const run = await runJson("--fault", "close@10000,times:2", "--fault", "none");
    assert.equal(run.code, 0, run.stderr);
    const retries = run.otauIn.filter((d) => /attempt \d of 5 failed/.test(d.message));
    assert.equal(retries.length, 2);
    assert.equal(run.result.installed, "1.2.0");
  });

  it("--power-cut tears a flash operation mid-download; the device reboots, resumes and ends ok with the whole run's flash operations", async () => {
    const clean = await runJson();
    const cut = await runJson("--power-cut", "20");
    assert.equal(cut.code, 0, cut.stderr);
    assert.equal(cut.result.installed, "1.2.0");
    assert.equal(statuses(cut).filter((s) => s === "INSTALLED_VERSION 0.0.0").length, 2, "a second boot on the old image");
    assert.ok(cut.otauIn.some((d) => /resuming file 1 of 1 at byte \d+ after a reset/.test(d.message)));
    assert.ok(cut.result.flash_ops > clean.result.flash_ops, `${cut.result.flash_ops} flash operations with the cut, ${clean.result.flash_ops} without`);
  });

  it("--installed naming the config's version ends at once: INSTALLED_VERSION, nothing downloaded, slot A", async () => {
    const run = await runJson("--installed", "1.2.0");
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(statuses(run), ["INSTALLED_VERSION 1.2.0", "INSTALLED_VERSION 1.2.0"]);
    assert.deepEqual([run.result.installed, run.result.slot], ["1.2.0", "A"]);
  });

  it("an image the simulator did not make (no version header) ends ok once its slot holds exactly the served file", async () => {
    const ownImage = randomBytes(9_000);
    const ownPath = join(dir, "own.bin");
    const ownConfig = join(dir, "config_own.json");
    writeFileSync(ownPath, ownImage);
    writeFileSync(ownConfig, JSON.stringify({
      version: "3.0.0", name: "own", type: "FILE", payload: "https://updates.example.invalid/own.bin",
      sha256: sha256Hex(ownImage), size: ownImage.length,
    }));
    const run = await otauSim("run", "--config", ownConfig, "--image", ownPath, "--json");
    assert.equal(run.code, 0, run.stderr);
    const { flash_ops: _flashOps, ...result } = JSON.parse(run.stdout.trimEnd().split("\n").at(-1)!);
    assert.deepEqual(result, { result: "ok", installed: "3.0.0", slot: "B" });
  });
});

describe("otau-sim run with a URL it does not serve itself", () => {
  it("fetches the file from that server as given and reports ok with the config's version when the update installs", async () => {
    const { ContentServer } = await import("../../firmware-sim/network/content-server.ts");
    const elsewhere = new ContentServer();
    await elsewhere.start();
    try {
      const ownImage = randomBytes(12_345);
      elsewhere.serveBytes("/elsewhere.bin", ownImage);
      const elsewhereConfig = join(dir, "config_elsewhere.json");
      writeFileSync(elsewhereConfig, JSON.stringify({
        version: "4.0.0", name: "elsewhere", type: "FILE", payload: elsewhere.url("/elsewhere.bin"),
        sha256: sha256Hex(ownImage), size: ownImage.length,
      }));
      const run = await otauSim("run", "--config", elsewhereConfig, "--json");
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const lines = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
      assert.ok(lines.some((line) => line.otau_in?.status === "INSTALL_SUCCESS" && line.otau_in.version === "4.0.0"));
      const { flash_ops: _flashOps, ...result } = lines.at(-1);
      assert.deepEqual(result, { result: "ok", installed: "4.0.0", slot: "B" });
    } finally {
      await elsewhere.stop();
    }
  });
});

describe("otau-sim run with a JSON config", () => {
  it("hands the payload to the application, ends on INSTALL_SUCCESS of the config's version with the image unchanged, result ok, exit 0", async () => {
    const jsonConfig = join(dir, "config_json.json");
    writeFileSync(jsonConfig, JSON.stringify({ version: "cfg-7", name: "settings", type: "JSON", payload: { interval: 60 } }));
    const run = await otauSim("run", "--config", jsonConfig, "--json");
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
    const { flash_ops: _flashOps, ...result } = lines.at(-1);
    assert.deepEqual(result, { result: "ok", installed: "0.0.0", slot: "A" });
    assert.ok(lines.some((line) => line.otau_in?.status === "INSTALL_SUCCESS" && line.otau_in.version === "cfg-7"));
  });
});

describe("otau-sim demo", () => {
  it("updates four devices to a signed image over Murano HTTP, Murano MQTT, Kaa and a lossy link with a power cut, a fifth refuses an attacker-signed one; plain lines off a terminal, a summary table, exit 0", async () => {
    const run = await otauSim("demo");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /gw-flaky\s+attempt 1 of 5 failed \(transfer of file 1 of 1 broke off after 40000 of \d+ bytes\)/);
    assert.match(run.stdout, /gw-flaky\s+power lost torn flash /);
    const table = run.stdout.slice(run.stdout.indexOf("device  "));
    for (const [device, transport, boots] of [
      ["gw-murano-http", "Murano HTTP", 2], ["gw-murano-mqtt", "Murano MQTT", 2], ["gw-kaa", "Kaa 1/KP MQTT", 2], ["gw-flaky", "Murano HTTP, lossy \\+ power cut", 3],
    ]) {
      assert.match(table, new RegExp(`^${device}\\s+${transport}\\s+1\\.0\\.0 → 2\\.0\\.0\\s+ok\\s+${boots}\\s+\\d+\\s+\\d+\\.\\d s$`, "m"));
    }
    assert.match(table, /^gw-attacked\s+Murano HTTP, forged config\s+1\.0\.0 → 1\.0\.0\s+refused\s+1\s+\d+\s+\d+\.\d s$/m);
    assert.match(run.stdout, /4 devices all on 2\.0\.0 \(signed by the vendor's key\) after \d+\.\d s/);
    assert.match(run.stdout, /gw-attacked refused the attacker-signed image \(image is signed by key [0-9a-f]{12}… \(KEYHASH\), which this device does not trust\) and stays on 1\.0\.0/);
  });
});

describe("otau-sim pack --key and run --trust-key", () => {
  it("pack --key writes an MCUboot image imgtool verifies; run --trust-key installs it, refuses one signed by another key (exit 1), and names a bad key file (exit 2)", async () => {
    const vendor = imgtoolKeygen();
    const other = imgtoolKeygen();
    const signedPath = join(dir, "fw-1.2.0.signed.bin");
    const packed = await otauSim("pack", "--image", imagePath, "--version", "1.2.0", "--name", "fw", "--key", vendor.privatePem, "--out", signedPath);
    assert.equal(packed.code, 0, packed.stderr);
    const signed = readFileSync(signedPath);
    assert.ok(imgtoolVerifies(signed, vendor));
    assert.match(packed.stdout, new RegExp(`image ${signedPath.replace(/[.\\/]/g, "\\$&")}: ${signed.length} bytes, sha256 ${sha256Hex(signed)}`));
    const signedConfig = join(dir, "signed-config.json");
    writeFileSync(signedConfig, JSON.stringify({ version: "1.2.0", name: "fw", type: "FILE", payload: "https://u.example.invalid/fw-1.2.0.signed.bin", sha256: sha256Hex(signed), size: signed.length }));
    const trusted = await otauSim("run", "--config", signedConfig, "--image", signedPath, "--installed", "1.0.0", "--trust-key", other.publicPem, "--trust-key", vendor.publicPem, "--json");
    assert.equal(trusted.code, 0, trusted.stderr + trusted.stdout);
    assert.match(trusted.stdout, /ED25519 signature verified with trusted key/);
    const refused = await otauSim("run", "--config", signedConfig, "--image", signedPath, "--installed", "1.0.0", "--trust-key", other.publicPem);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /DOWNLOAD_ERROR\s+1\.2\.0\s+image is signed by key [0-9a-f]{64} \(KEYHASH\), which this device does not trust/);
    const badKey = await otauSim("run", "--config", signedConfig, "--image", signedPath, "--trust-key", imagePath);
    assert.equal(badKey.code, 2);
    assert.match(badKey.stderr, /^otau-sim: --trust-key .*fw-1\.2\.0\.bin: not an Ed25519 key in PEM/);
  });
});

describe("otau-sim pack --slot-addresses / --slot-images and run --slot-addresses: a build per slot", () => {
  const ADDRESSES = "A=0x10040000,B=0x10080000";

  it("pack --slot-addresses writes each slot's build as imgtool --rom-fixed would, and run takes slot B's build from the slots table (exit 0)", async () => {
    const packed = await otauSim("pack", "--image", imagePath, "--version", "1.2.0", "--name", "fw", "--slot-addresses", ADDRESSES,
      "--url", "https://cdn.example.com/fw-1.2.0-{slot}.bin", "--json");
    assert.equal(packed.code, 0, packed.stderr);
    const result = JSON.parse(packed.stdout);
    const builds = { A: readFileSync(join(dir, "fw-1.2.0-A.bin")), B: readFileSync(join(dir, "fw-1.2.0-B.bin")) };
    assert.deepEqual(builds.A, imgtoolSign(image, { version: "1.2.0", romFixed: 0x10040000 }));
    assert.match(imgtoolDumpinfo(builds.B), /load_addr:\s+0x10080000[\s\S]*flags:\s+ROM_FIXED \(0x100\)/);
    assert.deepEqual(result.config_otau.slots, {
      A: { payload: "https://cdn.example.com/fw-1.2.0-A.bin", sha256: sha256Hex(builds.A), size: builds.A.length },
      B: { payload: "https://cdn.example.com/fw-1.2.0-B.bin", sha256: sha256Hex(builds.B), size: builds.B.length },
    });
    assert.equal(result.config_otau.payload, "https://cdn.example.com/fw-1.2.0-B.bin", "the ordinary fields name slot B's build");
    assert.equal(result.kaa_software.specification.slots.A.link, "https://cdn.example.com/fw-1.2.0-A.bin");

    const config = join(dir, "per-slot.json");
    writeFileSync(config, JSON.stringify(result.config_otau));
    const run = await otauSim("run", "--config", config, "--image", `${join(dir, "fw-1.2.0-A.bin")},${join(dir, "fw-1.2.0-B.bin")}`,
      "--installed", "1.0.0", "--slot-addresses", ADDRESSES);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /TEST_STEP\s+1\.2\.0\s+the config gives a build per slot; this device writes slot B and takes its build/);
    assert.match(run.stdout, /DOWNLOAD_STEP\s+1\.2\.0\s+MCUboot image linked to run from 0x10080000, where slot B runs/);
    assert.match(run.stdout, /result: ok — running 1\.2\.0 in slot B/);

    // Slot A's build published alone: refused at its header, the device stays on 1.0.0.
    const wrong = join(dir, "wrong-slot.json");
    writeFileSync(wrong, JSON.stringify({ ...result.config_otau, slots: undefined, ...result.config_otau.slots.A }));
    const refused = await otauSim("run", "--config", wrong, "--image", join(dir, "fw-1.2.0-A.bin"), "--installed", "1.0.0", "--slot-addresses", ADDRESSES);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /DOWNLOAD_ERROR\s+1\.2\.0\s+image is linked to run from 0x10040000 \(MCUboot IMAGE_F_ROM_FIXED\), but slot B runs from 0x10080000: this is another slot's build/);
    assert.match(refused.stdout, /result: failed — running 1\.0\.0 in slot A/);
  });

  it("pack --slot-images packs two builds made by imgtool as they are", async () => {
    const paths = { A: join(dir, "app-A.img"), B: join(dir, "app-B.img") };
    writeFileSync(paths.A, imgtoolSign(image, { version: "1.2.0", romFixed: 0x10040000 }));
    writeFileSync(paths.B, imgtoolSign(image, { version: "1.2.0", romFixed: 0x10080000 }));
    const packed = await otauSim("pack", "--slot-images", `B=${paths.B},A=${paths.A}`, "--version", "1.2.0", "--name", "fw", "--json");
    assert.equal(packed.code, 0, packed.stderr);
    const config = JSON.parse(packed.stdout).config_otau;
    assert.equal(config.slots.A.sha256, sha256Hex(readFileSync(paths.A)));
    assert.equal(config.slots.B.payload, "https://updates.example.com/app-B.img");
  });

  it("refuses bad slot options with one line and exit 2", async () => {
    const cases: [string[], RegExp][] = [
      [["--image", imagePath, "--slot-addresses", "A=0x10040000"], /--slot-addresses must be A=<…>,B=<…>, got "A=0x10040000"/],
      [["--image", imagePath, "--slot-addresses", "A=0xZZ,B=1"], /--slot-addresses: "0xZZ" is not an address/],
      [["--image", imagePath, "--slot-addresses", ADDRESSES, "--url", "https://cdn.example.com/fw.bin"], /--url must contain \{slot\}/],
      [["--image", imagePath, "--slot-images", `A=${imagePath},B=${imagePath}`], /one of the two/],
      [["--image", imagePath, "--rom-fixed", "0x1", "--slot-addresses", ADDRESSES], /--rom-fixed and --slot-addresses: give one/],
    ];
    for (const [args, message] of cases) {
      const run = await otauSim("pack", ...args, "--version", "1.2.0", "--name", "fw");
      assert.equal(run.code, 2, args.join(" "));
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    }
  });
});

describe("otau-sim pack", () => {
  it("prints the otau_info tag value that decodes to the config_otau with sha256 and size, and the Kaa software JSON", async () => {
    const run = await otauSim("pack", "--image", imagePath, "--version", "1.2.0", "--name", "Gateway 1.2", "--url", "https://cdn.example.com/fw-1.2.0.bin");
    assert.equal(run.code, 0, run.stderr);
    const config = { version: "1.2.0", name: "Gateway 1.2", type: "FILE", payload: "https://cdn.example.com/fw-1.2.0.bin", sha256: sha256Hex(image), size: image.length };
    const tag = run.stdout.split("\n").find((line) => line.startsWith("%7B"));
    assert.deepEqual(JSON.parse(decodeURIComponent(tag ?? "")).config_otau, config);
    assert.match(run.stdout, /murano content upload package_acme_iot-gateway1_1-2-0 --tags/);
    const kaaJson = run.stdout.slice(run.stdout.lastIndexOf("):\n") + 3);
    assert.deepEqual(JSON.parse(kaaJson).specification, { sha256: sha256Hex(image), size: image.length });
  });
});

describe("otau-sim run delivers the config file's bytes as the cloud would store them", { concurrency: true }, () => {
  /** Runs a config file holding `bytes`; the agent, not the CLI, judges them. */
  async function judged(name: string, bytes: Buffer): Promise<JsonRun> {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const run = await otauSim("run", "--config", path, "--json", "--timeout", "20");
    const lines = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const last = lines.pop() as JsonRun["result"];
    return { ...run, otauIn: lines.map((line) => line.otau_in as JsonRun["otauIn"][number]), result: last };
  }

  const cases: Array<[string, Buffer, RegExp]> = [
    ["a field of the wrong type", Buffer.from('{"version":"1.2.0","name":"fw","type":"FILE","payload":"http://x.invalid/a.bin","size":"big"}'), /field "size" must be number or array, not string/],
    ["a missing field", Buffer.from('{"version":"1.2.0","name":"fw","payload":"http://x.invalid/a.bin"}'), /"type"/],
    ["a truncated document", Buffer.from('{"version":"1.2.0","name":"fw","type":"FI'), /not valid JSON/],
    ["invalid UTF-8", Buffer.concat([Buffer.from('{"version":"1.2.0","name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","type":"FILE","payload":"http://x.invalid/a.bin"}')]), /UTF-8/],
    ["a deeply nested document", Buffer.from(`{"version":"1.2.0","x":${"[".repeat(1500)}${"]".repeat(1500)}}`), /nest|deep|levels/],
    ["a firmware image instead of JSON", Buffer.from(makeFirmwareImage({ version: "9.9.9", size: 2000 })), /not valid JSON|UTF-8|BOM/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`${what}: the agent's TEST_ERROR says what is wrong, result failed, exit 1`, async () => {
      const run = await judged(`${what.replace(/\W+/g, "-")}.json`, bytes);
      assert.equal(run.code, 1, run.stderr);
      assert.doesNotMatch(run.stderr, /Maximum call stack|otau-sim: --config/);
      const refusal = run.otauIn.find((d) => d.status === "TEST_ERROR");
      assert.ok(refusal, `no TEST_ERROR in ${JSON.stringify(run.otauIn)}`);
      assert.match(refusal.message, message);
      assert.equal(run.result.result, "failed");
    });
  }
});

describe("otau-sim bad arguments", { concurrency: true }, () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["no --config", ["run"], /^otau-sim: required option '--config <file>' not specified$/],
    ["a missing config file", ["run", "--config", "nope.json"], /^otau-sim: --config nope\.json: no such file$/],
    ["a bad fault spec", ["run", "--config", "config_otau.json", "--fault", "flip@x"], /^otau-sim: --fault: bad fault "flip@x" in "flip@x": byte offset must be a non-negative integer, got "x"$/],
    ["a negative power cut", ["run", "--config", "config_otau.json", "--power-cut", "-1"], /^otau-sim: --power-cut must be a whole number/],
    ["a missing image", ["run", "--config", "config_otau.json", "--image", "gone.bin"], /^otau-sim: --image gone\.bin: no such file$/],
    ["an unknown option", ["run", "--config", "config_otau.json", "--fast"], /^otau-sim: unknown option '--fast' \(did you mean --fault\?\)$/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: one line on stderr naming it, nothing on stdout, exit 2`, async () => {
      const run = await otauSim(...args);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, "");
      const lines = run.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], message);
    });
  }
});
