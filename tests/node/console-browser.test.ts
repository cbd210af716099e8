// The operator console in a real browser (Debian's Chromium driven by Playwright): publish a
// package from the page, apply it to a Murano device, grant a Kaa endpoint consent from the
// page, and watch both reach the new version without a reload. Bad input shows a message in
// the page. A screenshot is left in test-artifacts/console.png.
import { after, before, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { makeFirmwareImage } from "../../firmware-sim/device/firmware-image.ts";

const BIN = fileURLToPath(new URL("../../firmware-sim/bin/otau-sim.mjs", import.meta.url));
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
/** Debian's package (scripts/install-system-packages.sh); Playwright downloads no browser of its own. */
const CHROMIUM = "/usr/bin/chromium";
let dir: string;
let serve: ChildProcessWithoutNullStreams;
let browser: Browser;
let page: Page;
let output = "";

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "otau-sim-console-"));
  writeFileSync(join(dir, "gateway-2.0.0.bin"), makeFirmwareImage({ version: "2.0.0", size: 64_000 }));
  writeFileSync(join(dir, "readme.txt"), "this is not a firmware image\n");
  serve = spawn(process.execPath, [BIN, "serve", "--simulate"], { cwd: dir });
  serve.stdout.setEncoding("utf8").on("data", (text: string) => { output += text; });
  serve.stderr.setEncoding("utf8").on("data", (text: string) => { output += text; });
  while (!/Ctrl-C stops/.test(output)) {
    if (serve.exitCode !== null) throw new Error(`serve exited:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(/console\s+(http:\/\/\S+)/.exec(output)![1]);
});

after(async () => {
  await browser?.close();
  serve.kill("SIGINT");
  await once(serve, "exit");
  rmSync(dir, { recursive: true, force: true });
});

it("refuses a non-image upload and an empty version with a message in the page", async () => {
  const form = page.getByTestId("publish-form");
  await form.locator("input[name=image]").setInputFiles(join(dir, "readme.txt"));
  await form.locator("input[name=version]").fill("2.0.0");
  await form.locator("input[name=name]").fill("Notes");
  await form.getByRole("button", { name: "Publish" }).click();
  await assertText(page.getByTestId("publish-error"), /not a firmware image/);

  await form.locator("input[name=image]").setInputFiles(join(dir, "gateway-2.0.0.bin"));
  await form.locator("input[name=version]").fill("");
  await form.getByRole("button", { name: "Publish" }).click();
  await assertText(page.getByTestId("publish-error"), /version must be 1 to 64 bytes, got 0/);
  assert.match(await page.getByTestId("packages").innerText(), /No package_\* content item yet/);

  await page.getByTestId("apply-form").getByRole("button").click();
  await assertText(page.getByTestId("apply-error"), /no package to apply: publish one first/);
});

it("publishes a package from the page, applies it to a Murano device and a consenting Kaa endpoint, and shows both on 2.0.0 live", async () => {
  const form = page.getByTestId("publish-form");
  await form.locator("input[name=image]").setInputFiles(join(dir, "gateway-2.0.0.bin"));
  await form.locator("input[name=version]").fill("2.0.0");
  await form.locator("input[name=name]").fill("Gateway firmware");
  await form.locator("input[name=description]").fill("console test");
  await form.getByRole("button", { name: "Publish" }).click();
  await assertText(page.getByTestId("package-package_acme_iot-gateway1_2-0-0"), /2\.0\.0\s+Gateway firmware\s+console test/);
  await assertText(page.getByTestId("software-2.0.0"), /2\.0\.0\s+1\.0\.0\s+general/);

  await page.getByTestId("device-sim-murano-http").getByRole("checkbox").check();
  await page.getByTestId("apply-form").getByRole("button", { name: "Apply to 1 selected" }).click();
  await assertText(page.getByTestId("apply-note"), /applied to sim-murano-http \(murano\)/);
  await page.getByTestId("endpoint-sim-kaa").getByRole("button", { name: "Grant 2.0.0" }).click();

  await assertText(page.getByTestId("device-sim-murano-http").getByTestId("installed"), /^2\.0\.0$/, 30_000);
  await assertText(page.getByTestId("device-sim-kaa").getByTestId("installed"), /^2\.0\.0$/, 30_000);
  assert.match(await page.getByTestId("device-sim-murano-mqtt").getByTestId("installed").innerText(), /^1\.0\.0$/);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "console.png"), fullPage: true });
});

/** Waits until the element's text matches (the page updates from server-sent events). */
async function assertText(locator: ReturnType<Page["getByTestId"]>, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let text = "";
  while (Date.now() < deadline) {
    text = (await locator.count()) > 0 ? (await locator.first().innerText()).trim() : "";
    if (pattern.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`expected ${pattern} within ${timeoutMs} ms, the page shows "${text}"`);
}
