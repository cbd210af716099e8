// A file's body: each chunk into the slot (never more than announced or than fits), and
// at its end the length and the SHA-256 read back from flash checked against the config.
// A transfer that breaks off or goes quiet after the whole file arrived (a server that
// promised a byte more than it had) is verified then, not asked for the bytes past its end.
import { fetch_cancel } from "../host";
import { ioBuffer } from "../io";
import { active, fileDigest, fileDigestKnown, fileSize, fileSizeKnown, versionLength, versionPtr } from "../manifest/update_request";
import { messageClear, say, sayHex, sayNumber, sayText } from "../message";
import {
  fileIndex, fileReceived, fileSetReceived, fileSetTotal, fileStart, fileTotal, isLastFile, sayFile,
} from "./current_file";
import { AgentEvent, Next } from "./events";
import { FlashStep, downloadFailed, storageFailure } from "./failure";
import {
  imageEndFile, imageFileDigestSoFar, imageRewind, imageWrite, noteProgress, slotCapacity, writableSlotArea,
} from "./image_store";
import { progressAfterChunk, reportProgress } from "./progress";
import { raise } from "./queue";
import { reportStatus } from "./report";
import {
  SignedStep, requiresSignedImages, signedImageChunk, signedImageRetryable, signedImageVerify,
} from "./signed_image";
import { headerArrivalRestart } from "./header_arrival";
import { runAddressChunk } from "./run_address";
import { Status } from "./status";
import { checkStall, isStalled, noteActivity, transferFailed } from "./retry";
import { Text, text } from "../text";

/** Receiving, Data(length): `length` bytes of the body are in the I/O buffer. */
export function storeChunk(length: u32, _b: u32, _c: u32): Next {
  noteActivity();
  const limit = fileTotal() != 0 ? fileTotal() : slotCapacity() - fileStart();
  if (<u64>fileReceived() + length > <u64>limit) {
    messageClear();
    say("server sent more than ");
    sayNumber(limit);
    say(" bytes for ");
    sayFile();
    fetch_cancel();
    return transferFailed();
  }
  if (fileIndex() == 0) {
    // The image's header is checked before its bytes reach flash: a wrong image stops here.
    if (fileReceived() == 0) headerArrivalRestart();
    const step = requiresSignedImages() ? signedHeaderStep(length) : runAddressHeaderStep(length);
    if (step == SignedStep.Refused) return downloadFailed();
    if (step == SignedStep.Passed) reportStatus(active, Status.DownloadStep);
  }
  const status = imageWrite(ioBuffer, length);
  if (status != 0) {
    fetch_cancel();
    return storageFailure(FlashStep.WritingSlot, status);
  }
  fileSetReceived(fileReceived() + length);
  noteProgress(active, fileIndex(), fileStart());
  progressAfterChunk();
  return Next.Stay;
}

/** A device with keys: the whole MCUboot header (signed_image.ts). */
function signedHeaderStep(length: u32): SignedStep {
  const index = fileIndex();
  return signedImageChunk(
    ioBuffer, length, fileReceived(), fileSizeKnown(active, index) ? <u32>fileSize(active, index) : 0,
    writableSlotArea(), slotCapacity(), versionPtr(active), versionLength(active),
  );
}

/** A device without keys: where an MCUboot image runs from, if it says (run_address.ts). */
function runAddressHeaderStep(length: u32): SignedStep {
  return runAddressChunk(ioBuffer, length, fileReceived(), writableSlotArea());
}

const digest = memory.data(32);

/** "transfer of file 1 of 2<how>5000 of 7000 bytes". */
function sayTransferEnd(how: Text): void {
  messageClear();
  say("transfer of ");
  sayFile();
  sayText(how);
  sayNumber(fileReceived());
  if (fileTotal() != 0) {
    say(" of ");
    sayNumber(fileTotal());
  }
  say(" bytes");
}

const WHOLE_BY_SIZE = 1;
const WHOLE_BY_DIGEST = 2;

/** Whether what arrived is already the whole file: by the config's size, else by its digest; 0 when neither says so. */
function wholeFileArrived(): i32 {
  const index = fileIndex();
  const received = fileReceived();
  if (received == 0) return 0;
  if (fileSizeKnown(active, index)) return received == fileSize(active, index) ? WHOLE_BY_SIZE : 0;
  if (!fileDigestKnown(active, index)) return 0;
  imageFileDigestSoFar(digest);
  return memory.compare(digest, fileDigest(active, index), 32) == 0 ? WHOLE_BY_DIGEST : 0;
}

/** The transfer ended badly but the file is whole (`whole` from wholeFileArrived): say so, then end the file. */
function completeAnyway(whole: i32): Next {
  fetch_cancel();
  sayText(whole == WHOLE_BY_SIZE ? text(", but that is the size the config gives") : text(", but the bytes received match the config's sha256"));
  say(": the file is complete");
  reportStatus(active, Status.DownloadStep);
  return finishFile();
}

/** Receiving, DataEnd(ok): the file is complete (ok != 0), or the transfer broke off. */
export function endTransfer(ok: u32, _b: u32, _c: u32): Next {
  if (ok == 0 || (fileTotal() != 0 && fileReceived() < fileTotal())) {
    const whole = wholeFileArrived();
    sayTransferEnd(ok != 0 ? text(" ended early after ") : text(" broke off after "));
    return whole != 0 ? completeAnyway(whole) : transferFailed();
  }
  return finishFile();
}

/** Receiving, Tick(now): a body gone quiet is retried, unless the whole file has arrived. */
export function checkBodyStall(now: u32, _b: u32, _c: u32): Next {
  if (isStalled(now)) {
    const whole = wholeFileArrived();
    if (whole != 0) {
      sayTransferEnd(text(" went quiet after "));
      return completeAnyway(whole);
    }
  }
  return checkStall(now, 0, 0);
}

/** The file's bytes are all in the slot: its length and digest against the config, then the next file or the install. */
function finishFile(): Next {
  const received = fileReceived();
  const index = fileIndex();
  if (fileSizeKnown(active, index) && received != fileSize(active, index)) {
    messageClear();
    sayFile();
    say(" is ");
    sayNumber(received);
    say(" bytes; the config says ");
    sayNumber(fileSize(active, index));
    return downloadFailed();
  }
  const last = isLastFile();
  const status = imageEndFile(fileStart(), received, digest, !last);
  if (status != 0) return storageFailure(FlashStep.VerifyingSlot, status);
  if (fileDigestKnown(active, index) && memory.compare(digest, fileDigest(active, index), 32) != 0) {
    messageClear();
    say("sha256 of ");
    sayFile();
    say(" as read back from flash is ");
    sayHex(digest, 32);
    say("; expected ");
    sayHex(fileDigest(active, index), 32);
    // A corrupted transfer may succeed next time: the file starts again from its first byte.
    const rewound = imageRewind(fileStart());
    if (rewound != 0) return storageFailure(FlashStep.RewindingSlot, rewound);
    fileSetReceived(0);
    return transferFailed();
  }
  if (requiresSignedImages()) {
    const step = signedImageVerify(writableSlotArea(), received, versionPtr(active), versionLength(active));
    if (step == SignedStep.Refused) {
      if (!signedImageRetryable()) return downloadFailed();
      // Bytes that differ from the signed hash may come right next time: from the first byte.
      const rewound = imageRewind(fileStart());
      if (rewound != 0) return storageFailure(FlashStep.RewindingSlot, rewound);
      fileSetReceived(0);
      return transferFailed();
    }
    reportStatus(active, Status.DownloadStep);
  }
  fileSetTotal(received);
  reportProgress();
  raise(last ? AgentEvent.DownloadDone : AgentEvent.FileDone);
  return Next.Stay;
}
