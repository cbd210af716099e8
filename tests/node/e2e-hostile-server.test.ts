// A hostile content server against a simulated device over real HTTP: bodies longer or
// shorter than promised, chunked bodies with junk, bad Content-Length values, lying 206s,
// 206s without Content-Range, redirect loops and redirects to other protocols. Each run must
// end in the right status, and no image but the exact one the config describes is ever booted.
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


interface Row {
  name: string;
  /** Fault specs queued for the image's path, taken one per request (the last repeats). */
  specs: string[];
  /** The config leaves out the size: the server's framing is all the device has. */
  noSize?: boolean;
  /** true: installs 2.0.0; a RegExp: DOWNLOAD_ERROR whose message matches, the old image running. */
  outcome: true | RegExp;
}

// newImage is 48 000 bytes.
const ROWS: Row[] = [
  { name: "junk after the promised Content-Length is not read as body", specs: ["extra:5000"], outcome: true },
  { name: "a chunked body without Content-Length installs", specs: ["chunked"], outcome: true },
  { name: "a chunked body longer than the file (junk past its end) is cut off and never installed",
    specs: ["chunked,extra:5000"], outcome: /gave up after 5 attempts: server sent more than 48000 bytes for file 1 of 1/ },
  { name: "the same without a size in the config fails on the digest, never installed",
    specs: ["chunked,extra:5000"], noSize: true, outcome: /gave up after 5 attempts: sha256 of file 1 of 1 as read back from flash is/ },
  { name: "a chunked body broken by junk half way is never whole: every attempt fails, nothing is installed",
    specs: ["chunked-junk"], outcome: /gave up after 5 attempts: transfer of file 1 of 1 broke off after \d+ of 48000 bytes/ },
  { name: "Content-Length 1e400 is refused by the client as malformed",
    specs: ["length:1e400"], outcome: /gave up after 5 attempts: transfer of file 1 of 1 failed before the server answered/ },
  { name: "Content-Length with trailing garbage (48000abc) is refused as malformed",
    specs: ["length:48000abc"], outcome: /gave up after 5 attempts: transfer of file 1 of 1 failed before the server answered/ },
  { name: "a negative Content-Length is refused as malformed",
    specs: ["length:-1"], outcome: /gave up after 5 attempts: transfer of file 1 of 1 failed before the server answered/ },
  { name: "Content-Length understated by one disagrees with the config's size",
    specs: ["length:47999"], outcome: /server reports 47999 bytes for file 1 of 1; the config says 48000/ },
  { name: "Content-Length overstated by one (the body is shorter than promised) disagrees with the config's size",
    specs: ["length:48001"], outcome: /server reports 48001 bytes for file 1 of 1; the config says 48000/ },
  { name: "Content-Length overstated by one with no size in the config: the whole file arrived and its digest matches, so it installs",
    specs: ["length:48001"], noSize: true, outcome: true },
  { name: "a 206 lying about its range (bytes from 0 labelled as the range asked) fails the digest, restarts from byte 0 and installs",
    specs: ["close@10000,times:1", "range-from:0"], outcome: true },
  { name: "a 206 without Content-Range is refused at once on every attempt",
    specs: ["close@10000,times:1", "no-content-range"], outcome: /gave up after 5 attempts: HTTP 206 for file 1 of 1 has no usable Content-Range/ },
  { name: "a redirect loop (302 to itself) is not followed and ends in DOWNLOAD_ERROR",
    specs: ["redirect:/hostile-13.bin"], outcome: /gave up after 5 attempts: HTTP 302 for file 1 of 1/ },
  { name: "a redirect to another protocol (ftp://) is not followed",
    specs: ["redirect:ftp://files.example.invalid/fw.bin"], outcome: /gave up after 5 attempts: HTTP 302 for file 1 of 1/ },
];

const downloadError = (device: SimulatedDevice) => device.otauIn().find((r) => r.status === "DOWNLOAD_ERROR" && r.version === NEW_VERSION);

describe("a hostile content server", () => {
  ROWS.forEach((row, index) => {
    it(`${row.specs.join(" then ")}: ${row.name}`, async () => {
      const identity = `hostile-${index}`;
      const path = `/${identity}.bin`;
      content.serveBytes(path, newImage);
      for (const spec of row.specs) content.injectFaults(path, spec);
      murano.product.addIdentity(identity);
      const config = configOtau(content.url(path), row.noSize ? { size: undefined } : {});
      murano.product.cloudWrite(identity, "config_otau", JSON.stringify(config));
      const device = await rig.device(identity, new MuranoHttpLink({ url: murano.urls.http, identity }), { settings: QUICK_RETRIES });
      device.powerOn();
      await waitFor(device, (d) => runsConfirmed(NEW_VERSION)(d) || (downloadError(d) !== undefined && runsConfirmed(OLD_VERSION)(d)),
        20_000, "the update to end");

      for (const boot of device.boots) {
        if (boot.version === NEW_VERSION) assert.ok(holdsImage(device.flash.bytes(boot.slot), newImage), "a booted 2.0.0 is the exact image");
        else assert.equal(boot.version, OLD_VERSION);
      }
      if (row.outcome === true) {
        assert.equal(device.runningImage?.version, NEW_VERSION, JSON.stringify(device.otauIn().slice(-4)));
        assert.equal(downloadError(device), undefined);
      } else {
        assert.match(downloadError(device)?.message ?? JSON.stringify(device.otauIn().slice(-3)), row.outcome);
        assert.deepEqual(device.boots.map((b) => b.version), [OLD_VERSION], "the device never left the old image");
      }
    });
  });
});
