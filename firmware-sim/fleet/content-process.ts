// The content process of `otau-sim fleet`: the content server the Murano devices download
// the image from, in a process of its own. With 10,000 devices downloading at once, one
// process holding both every device's cloud connection and every download reaches the
// machine's open-file limit (20,000 here); apart, each holds about half, and the two
// share the work on two cores. Kaa's downloads stay with the Kaa emulator, whose
// presigned links it signs and checks itself.
import { makeFirmwareImage } from "../device/firmware-image.ts";
import { ContentServer } from "../network/content-server.ts";
import { FLEET_IMAGE_PATH, OUTAGE_FAULT, TO_VERSION, type FromContent, type ToContent } from "./plan.ts";

const send = (message: FromContent): void => {
  process.send?.(message);
};

const content = new ContentServer();
const timers: NodeJS.Timeout[] = [];
let outage: { afterMs: number; forMs: number } | undefined;

process.on("message", (message: ToContent) => {
  handle(message).catch((error: Error) => send({ kind: "error", message: error.message }));
});
process.on("disconnect", () => void stop());

async function handle(message: ToContent): Promise<void> {
  switch (message.kind) {
    case "setup": {
      await content.start();
      // The same bytes as the cloud process's (makeFirmwareImage is deterministic), whose digest the clouds publish.
      content.serveBytes(FLEET_IMAGE_PATH, makeFirmwareImage({ version: TO_VERSION, size: message.imageBytes }));
      outage = message.outage;
      timers.push(setInterval(() => {
        const cpu = process.cpuUsage();
        send({ kind: "usage", cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: process.memoryUsage.rss() });
      }, 1000));
      return send({ kind: "ready", imageUrl: content.url(FLEET_IMAGE_PATH) });
    }
    case "rollout":
      if (!outage) return;
      timers.push(setTimeout(() => content.injectFaults(FLEET_IMAGE_PATH, OUTAGE_FAULT), outage.afterMs));
      timers.push(setTimeout(() => content.faults.clear(FLEET_IMAGE_PATH), outage.afterMs + outage.forMs));
      return;
    case "stop":
      return stop();
  }
}

async function stop(): Promise<void> {
  for (const timer of timers) clearTimeout(timer);
  await content.stop();
  process.exit(0);
}
