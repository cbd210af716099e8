// Installing: a downloaded image is sealed and armed for a trial boot, and confirmed once
// the application vouches for it; a JSON payload goes to the application instead.
import { apply_json, reset } from "../host";
import { active, fileCount, fileDigestKnown } from "../manifest/update_request";
import { jsonPayloadAt, jsonPayloadEnd } from "../manifest/murano";
import { messageClear, say, sayHex, sayNumber, sayText } from "../message";
import { Next } from "./events";
import { FlashStep, downloadFailed, reportStorageError, storageFailure } from "./failure";
import { clearProgress, confirmTrial, imageFinish, imageLength, inactiveSlotName, markTrial, runningSlotArea, runningSlotName } from "./image_store";
import { reportStatus, sayVersion } from "./report";
import { requiresSignedImages, signedImageConfirmed } from "./signed_image";
import { Status } from "./status";
import { text } from "../text";

const digest = memory.data(32);

/** Receiving, DownloadDone: seal the image, mark it for a trial boot, reset. */
export function install(_a: u32, _b: u32, _c: u32): Next {
  if (imageLength() == 0) {
    // The bootloader boots no empty image: arming one would only end in a rollback.
    messageClear();
    say("the image is empty (0 bytes): there is nothing to install");
    return downloadFailed();
  }
  reportDownloadSuccess();
  messageClear();
  say("installing into slot ");
  say(inactiveSlotName());
  reportStatus(active, Status.Install);
  const sealed = imageFinish(digest);
  if (sealed != 0) return storageFailure(FlashStep.SealingImage, sealed);
  const marked = markTrial(active, digest);
  if (marked != 0) return storageFailure(FlashStep.WritingBootRecord, marked);
  messageClear();
  say("image of ");
  sayNumber(imageLength());
  say(" bytes in slot ");
  say(inactiveSlotName());
  say(", sha256 ");
  sayHex(digest, 32);
  say(", marked for a trial boot; resetting");
  reportStatus(active, Status.InstallStep);
  clearProgress();
  reset();
  return Next.Move;
}

/**
 * DOWNLOAD_SUCCESS, saying exactly what was checked: the sha256 of each file that had one,
 * or a signed image's signature and SHA256 TLV (reported in the DOWNLOAD_STEP before).
 */
function reportDownloadSuccess(): void {
  const files = fileCount(active);
  let verified = 0;
  for (let i = 0; i < files; i++) if (fileDigestKnown(active, i) || requiresSignedImages()) verified++;
  messageClear();
  say("all ");
  sayNumber(files);
  if (verified == files) {
    sayText(files == 1 ? text(" file verified") : text(" files verified"));
  } else {
    sayText(files == 1 ? text(" file received; ") : text(" files received; "));
    if (verified == 0) {
      say("none verified");
    } else {
      sayNumber(verified);
      say(" verified by sha256, the others not");
    }
    say(" (no sha256 digest in the config)");
  }
  reportStatus(active, Status.DownloadSuccess);
}

/** Trial, Healthy: the application vouches for the new image. */
export function confirmUpdate(_a: u32, _b: u32, _c: u32): Next {
  const status = confirmTrial();
  if (status != 0) {
    // The boot record still says trial: stay on trial, as the bootloader will see it (the next
    // reset counts a boot attempt; a later on_healthy may confirm it).
    reportStorageError(FlashStep.ConfirmingTrial, status);
    return Next.Stay;
  }
  sayVersion(active);
  say(" confirmed healthy in slot ");
  say(runningSlotName());
  signedImageConfirmed(runningSlotArea());
  reportStatus(active, Status.InstallSuccess);
  messageClear();
  reportStatus(active, Status.InstalledVersion);
  return Next.Move;
}

/** INSTALL for a JSON config: its payload object goes to the application (apply_json). */
export function applyJson(): void {
  messageClear();
  say("applying the JSON payload");
  reportStatus(active, Status.Install);
  const result = apply_json(jsonPayloadAt, <usize>(jsonPayloadEnd - jsonPayloadAt));
  messageClear();
  if (result != 0) {
    say("the application refused the JSON payload (code ");
    if (result < 0) say("-");
    sayNumber(<u64>abs(result));
    say(")");
    reportStatus(active, Status.InstallError);
    return;
  }
  say("JSON payload applied");
  reportStatus(active, Status.InstallSuccess);
}
