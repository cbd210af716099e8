// Kaa OTA Orchestrator end to end over 1/KP MQTT and presigned HTTP downloads: who gets an
// update and when (targeted rollout dates, consent), and a presigned link that expires in
// the middle of a download being replaced by a fresh one.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Setting } from "../../firmware-sim/agent/agent-instance.ts";
import { HttpFetcher } from "../../firmware-sim/device/http-fetcher.ts";
import { KaaMqttLink } from "../../firmware-sim/device/kaa-mqtt-link.ts";
import { runsConfirmed, waitFor } from "../../firmware-sim/device/loopback-device.ts";
import type { SimulatedDevice } from "../../firmware-sim/device/simulated-device.ts";
import { KaaEmulator } from "../../firmware-sim/kaa/kaa-emulator.ts";
import { E2eRig, NEW_VERSION, OLD_VERSION, newImage, newImageSha256 } from "./support/e2e.ts";
import { OffsetClock } from "./support/offset-clock.ts";

const TENANT = "acme";
const DAY_MS = 86_400_000;
const PRESIGN_TTL_SECONDS = 60;
const rig = new E2eRig();
const clock = new OffsetClock();
let kaa: KaaEmulator;

before(async () => {
  kaa = await rig.started(new KaaEmulator({ clock, presignTtlSeconds: PRESIGN_TTL_SECONDS }));
  kaa.platform.addTenant(TENANT);
});
after(() => rig.teardown());

/** An application offering 2.0.0 over 1.0.0 with its file uploaded. */
function application(name: string, software: Record<string, unknown>, options: { consentRequired?: boolean } = {}): void {
  kaa.platform.createApplication(TENANT, name, options);
  kaa.platform.createSoftware(TENANT, name, {
    version: NEW_VERSION, upgradableFrom: [OLD_VERSION], specification: { sha256: newImageSha256, size: newImage.length }, ...software,
  });
  kaa.platform.uploadFile(TENANT, name, NEW_VERSION, newImage);
}

interface KaaDevice {
  device: SimulatedDevice;
  link: KaaMqttLink;
  endpointId: string;
}

async function kaaDevice(app: string, token: string, filterIds: string[] = [], fetcher?: HttpFetcher): Promise<KaaDevice> {
  const { endpointId } = kaa.platform.registerEndpoint(TENANT, app, { token, filterIds });
  const link = new KaaMqttLink({ mqttUrl: kaa.urls.mqtt, application: app, token });
  const device = await rig.device(token, link, {
    settings: { [Setting.Cloud]: 1, [Setting.RetryBaseMs]: 200, [Setting.MaxAttempts]: 6 },
    fetcher: fetcher && link.refreshingLinks(fetcher),
  });
  device.powerOn();
  return { device, link, endpointId };
}

/** Resolves once the device's link has had its first answer to a config request. */
const answered = ({ device, link }: KaaDevice) => waitFor(device, () => link.configs.length > 0, 10_000, "the first config answer");
const started = ({ link }: KaaDevice) => link.statuses.some((s) => s.status === "INIT");

describe("Kaa delivery rules end to end", () => {
  it("a targeted rollout reaches only endpoints matching its filter, and only once its date has passed", async () => {
    application("targeted", {
      rolloutStrategy: "targeted",
      filters: [{ filterId: "beta", rolloutDate: new Date(clock.now() + DAY_MS).toISOString() }],
    });
    const beta = await kaaDevice("targeted", "beta-1", ["beta"]);
    const other = await kaaDevice("targeted", "other-1", ["production"]);
    await Promise.all([answered(beta), answered(other)]);
    assert.deepEqual([beta.link.configs, other.link.configs], [["{}"], ["{}"]], "before the date both are told they are up to date");
    assert.ok(!started(beta) && !started(other));

    clock.jump(2 * DAY_MS);
    kaa.platform.reevaluate();
    await waitFor(beta.device, runsConfirmed(NEW_VERSION), 20_000, "beta-1 on 2.0.0");
    await kaa.platform.waitForApplied(TENANT, "targeted", beta.endpointId, (r) => r.configId === NEW_VERSION && r.success, 10_000);

    assert.deepEqual(other.link.configs, ["{}"], "the endpoint outside the filter was offered nothing");
    assert.equal(other.device.runningImage?.version, OLD_VERSION);
    assert.ok(!started(other));
    assert.equal(kaa.platform.endpointSnapshot(TENANT, "targeted", other.endpointId).lastOffered, undefined);
  });

  it("an update that needs consent is held back until consent is given, then delivered and installed", async () => {
    application("consented", { rolloutStrategy: "general" }, { consentRequired: true });
    const endpoint = await kaaDevice("consented", "consent-1");
    await answered(endpoint);
    assert.deepEqual(endpoint.link.configs, ["{}"]);
    assert.ok(!started(endpoint), "no update starts without consent");

    kaa.platform.grantConsent(TENANT, "consented", endpoint.endpointId, NEW_VERSION);
    await waitFor(endpoint.device, runsConfirmed(NEW_VERSION), 20_000, "consent-1 on 2.0.0");
    const applied = await kaa.platform.waitForApplied(TENANT, "consented", endpoint.endpointId, (r) => r.configId === NEW_VERSION, 10_000);
    assert.equal(applied.success, true);
    assert.match(endpoint.link.configs[1], /"configId":"2\.0\.0"/);
  });

  it("a presigned link that expires mid-download is refused with 403, a fresh one is fetched and the download resumes with it", async () => {
    application("expiring", { rolloutStrategy: "general" });
    kaa.http.downloadFaults.add(`${TENANT}/expiring/${NEW_VERSION}/firmware.bin`, "close@10000,times:1");
    const fetcher = new HttpFetcher();
    // When the first attempt has broken off, the calendar moves past the link's expiry.
    let expired = false;
    const endpoint = await kaaDevice("expiring", "expiring-1", [], fetcher);
    endpoint.device.on("report", ({ document }: { document: string }) => {
      if (expired || !document.includes("attempt 1 of 6 failed")) return;
      expired = true;
      clock.jump((PRESIGN_TTL_SECONDS + 60) * 1000);
    });
    await waitFor(endpoint.device, runsConfirmed(NEW_VERSION), 20_000, "expiring-1 on 2.0.0");

    const [first, retried, fresh] = fetcher.requests;
    assert.deepEqual([first.offset, first.status, retried.offset, retried.status], [0, 200, 10_000, 403]);
    assert.equal(retried.url, first.url, "the retry used the link that had expired");
    assert.notEqual(fresh.url, first.url, "the next attempt used a fresh link");
    assert.deepEqual([fresh.offset, fresh.status], [10_000, 206], "and resumed where the download broke off");
    assert.ok(endpoint.link.statuses.some((s) => s.status === "DOWNLOAD_STEP" && /HTTP 403/.test(s.message ?? "")));
    const applied = await kaa.platform.waitForApplied(TENANT, "expiring", endpoint.endpointId, (r) => r.configId === NEW_VERSION, 10_000);
    assert.equal(applied.success, true);
  });
});
