// `npm run test:signed-flips`: a bit flipped in every byte of an imgtool-signed image (header,
// body, TLV area), each refused. The main suite flips a sample of the body
// (tests/node/signed-image.test.ts).
import { test } from "node:test";
import { flipCampaign } from "./support/signed-device.ts";

test("every single-byte flip of an imgtool-signed image is refused, with the config's digest matching the tampered file", async () => {
  await flipCampaign(1);
});
