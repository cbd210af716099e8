// A file's body: each chunk into the slot (never more than announced or than fits), and
// at its end the length and the SHA-256 read back from flash checked against the config.
import { fetch_cancel } from "../host";
import { ioBuffer } from "../io";
import { active, fileDigest, fileDigestKnown, fileSize, fileSizeKnown, versionLength, versionPtr } from "../manifest/update_request";
import { messageClear, say, sayHex, sayNumber, sayText } from "../message";
import {
  fileIndex, fileReceived, fileSetReceived, fileSetTotal, fileStart, fileTotal, isLastFile, sayFile,
} from "./current_file";
import { AgentEvent, Next } from "./events";
import { FlashStep, downloadFailed, storageFailure } from "./failure";
import { imageEndFile, imageRewind, imageWrite, noteProgress, slotCapacity, writableSlotArea } from "./image_store";
import { progressAfterChunk, reportProgress } from "./progress";
import { raise } from "./queue";
import { reportStatus } from "./report";
import {
  SignedStep, requiresSignedImages, signedImageChunk, signedImageRestart, signedImageRetryable, signedImageVerify,
} from "./signed_image";
import { Status } from "./status";
import { noteActivity, transferFailed } from "./retry";
import { text } from "../text";

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
  if (requiresSignedImages()) {
    // The header is checked before its bytes reach flash: a wrong image stops here.
    if (fileReceived() == 0) signedImageRestart();
    const index = fileIndex();
    const step = signedImageChunk(
      ioBuffer, length, fileReceived(), fileSizeKnown(active, index) ? <u32>fileSize(active, index) : 0,
      writableSlotArea(), slotCapacity(), versionPtr(active), versionLength(active),
    );
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

const digest = memory.data(32);

/** Receiving, DataEnd(ok): the file is complete (ok = 1), or the transfer broke off. */
export function endTransfer(ok: u32, _b: u32, _c: u32): Next {
  const received = fileReceived();
  const total = fileTotal();
  if (ok == 0 || (total != 0 && received < total)) {
    messageClear();
    say("transfer of ");
    sayFile();
    sayText(ok != 0 ? text(" ended early after ") : text(" broke off after "));
    sayNumber(received);
    if (total != 0) {
      say(" of ");
      sayNumber(total);
    }
    say(" bytes");
    return transferFailed();
  }
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
  const status = imageEndFile(fileStart(), received, digest, !isLastFile());
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
  raise(isLastFile() ? AgentEvent.DownloadDone : AgentEvent.FileDone);
  return Next.Stay;
}
