// The content server's fault matrix, each fault alone on every request of one device's
// download over real HTTP: the update ends either on the new version, byte for byte in its
// slot, or in DOWNLOAD_ERROR naming the cause with the old image still running. A corrupt
// or half-written image is never booted.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { runsConfirmed, waitFor } from "../../firmware-sim/device/loopback-device.ts";
import { MuranoHttpLink } from "../../firmware-sim/device/murano-http-link.ts";
import type { SimulatedDevice } from "../../firmware-sim/device/simulated-device.ts";
import { MuranoEmulator } from "../../firmware-sim/murano/murano-emulator.ts";
import { ContentServer } from "../../firmware-sim/network/content-server.ts";
import { E2eRig, NEW_VERSION, OLD_VERSION, QUICK_RETRIES, configOtau, holdsImage, newImage } from "./support/e2e.ts";

const rig = new E2eRig();
let murano: MuranoEmulator;
let content: ContentServer;

before(async () => {
  murano = await rig.started(new MuranoEmulator());
  content = await rig.started(new ContentServer());
});
after(() => rig.teardown());


type Outcome = { installs: true } | { installs: false; cause: RegExp };

// newImage is 48 000 bytes; K = 10 000 cuts it into five pieces, fewer than MaxAttempts.
const MATRIX: Array<[spec: string, outcome: Outcome]> = [
  ["none", { installs: true }],
  ["truncate@10000", { installs: false, cause: /server reports 10000 bytes for file 1 of 1; the config says 48000/ }],
  ["close@10000", { installs: true }],
  ["flip@1000", { installs: false, cause: /gave up after 5 attempts: sha256 of file 1 of 1 as read back from flash is [0-9a-f]{64}; expected [0-9a-f]{64}/ }],
  ["stall@10000:1500", { installs: true }],
  ["throttle:400000", { installs: true }],
  ["delay:200", { installs: true }],
  ["ignore-range", { installs: true }],
  ["status:404", { installs: false, cause: /gave up after 5 attempts: HTTP 404 for file 1 of 1/ }],
  ["status:500", { installs: false, cause: /gave up after 5 attempts: HTTP 500 for file 1 of 1/ }],
  ["status:503", { installs: false, cause: /gave up after 5 attempts: HTTP 503 for file 1 of 1/ }],
];

const downloadError = (device: SimulatedDevice) => device.otauIn().find((r) => r.status === "DOWNLOAD_ERROR" && r.version === NEW_VERSION);

/** One device on Murano HTTP updating from a path that answers with `specs` in turn; resolves when the update has ended. */
async function updateThrough(identity: string, specs: string[]): Promise<{ device: SimulatedDevice; path: string }> {
  const path = `/${identity}.bin`;
  content.serveBytes(path, newImage);
  for (const spec of specs) content.injectFaults(path, spec);
  murano.product.addIdentity(identity);
  murano.product.cloudWrite(identity, "config_otau", JSON.stringify(configOtau(content.url(path))));
  const device = await rig.device(identity, new MuranoHttpLink({ url: murano.urls.http, identity }), { settings: QUICK_RETRIES });
  device.powerOn();
  await waitFor(device, (d) => runsConfirmed(NEW_VERSION)(d) || (downloadError(d) !== undefined && runsConfirmed(OLD_VERSION)(d)), 20_000, "the update to end");
  return { device, path };
}

describe("content-server faults on every request of a download", () => {
  MATRIX.forEach(([spec, outcome], row) => {
    const ends = outcome.installs ? "installs 2.0.0" : "ends in DOWNLOAD_ERROR naming the cause, the old image running";
    it(`${spec}: ${ends}`, async () => {
      const { device, path } = await updateThrough(`fault-${row}`, [spec]);

      assert.ok(content.requests.filter((r) => r.path === path).every((r) => r.faults === spec), "every request got the fault");
      for (const boot of device.boots) {
        if (boot.version === NEW_VERSION) assert.ok(holdsImage(device.flash.bytes(boot.slot), newImage), "a booted 2.0.0 is the exact image");
        else assert.equal(boot.version, OLD_VERSION);
      }
      if (outcome.installs) {
        assert.equal(device.runningImage?.version, NEW_VERSION);
        assert.equal(downloadError(device), undefined);
      } else {
        assert.match(downloadError(device)?.message ?? "", outcome.cause);
        assert.deepEqual(device.boots.map((b) => b.version), [OLD_VERSION], "the device never left the old image");
      }
    });
  });
});

it("a server that ignores Range after a dropped connection makes the agent restart the file from byte 0 and install it", async () => {
  const { device, path } = await updateThrough("fault-restart", ["close@10000,times:1", "ignore-range"]);
  assert.equal(device.runningImage?.version, NEW_VERSION);
  assert.ok(holdsImage(device.flash.bytes(2), newImage));
  const requests = content.requests.filter((r) => r.path === path);
  assert.deepEqual(requests.slice(0, 2).map((r) => [r.range, r.status, r.faults]), [
    [undefined, 200, "close@10000,times:1"],
    ["bytes=10000-", 200, "ignore-range"],
  ]);
});
