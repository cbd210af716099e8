// Starting the transfers of an update: the first file after the checks passed, the file
// a reset interrupted, the next file of a URL_LIST. Each leaves the machine Fetching.
import { active, fileCount, fileSize, fileSizeKnown } from "../manifest/update_request";
import { messageClear, say, sayCount, sayNumber } from "../message";
import {
  fileIndex, fileReceived, fileSelect, fileSetReceived, fileSetTotal, fileStart,
} from "./current_file";
import { AgentEvent, Next } from "./events";
import { FlashStep, storageFailure } from "./failure";
import { clearProgress, imageBegin, imageLength, imageResume, resumeFileIndex, resumeFileStart } from "./image_store";
import { progressContinue, progressRestart, reportProgress } from "./progress";
import { raise } from "./queue";
import { reportStatus } from "./report";
import { attemptsReset, startFetch } from "./retry";
import { Status } from "./status";
import { text } from "../text";

/** The size the config gives the current file, or 0 when it gives none. */
function configuredSize(): u32 {
  return fileSizeKnown(active, fileIndex()) ? fileSize(active, fileIndex()) : 0;
}

function startFile(): Next {
  fileSetReceived(0);
  fileSetTotal(configuredSize());
  progressRestart();
  reportProgress();
  return startFetch(0);
}

/** Idle, TestPassed: DOWNLOAD, then the first file. */
export function startDownload(_a: u32, _b: u32, _c: u32): Next {
  messageClear();
  say("downloading ");
  sayCount(fileCount(active), text(" file"), text(" files"));
  reportStatus(active, Status.Download);
  attemptsReset();
  fileSelect(0, 0);
  fileSetReceived(0);
  fileSetTotal(0);
  const status = imageBegin(active);
  if (status != 0) return storageFailure(FlashStep.PreparingSlot, status);
  return startFile();
}

/** Idle, Resume: a reset interrupted this download; continue from what the slot holds. */
export function resumeAfterReset(_a: u32, _b: u32, _c: u32): Next {
  attemptsReset();
  fileSelect(resumeFileIndex(), resumeFileStart());
  const status = imageResume(active);
  if (status != 0) {
    // What the slot holds cannot be trusted: run the same update from its first byte.
    clearProgress();
    raise(AgentEvent.Begin);
    return Next.Stay;
  }
  fileSetReceived(imageLength() - fileStart());
  fileSetTotal(configuredSize());
  messageClear();
  say("resuming file ");
  sayNumber(fileIndex() + 1);
  say(" of ");
  sayNumber(fileCount(active));
  say(" at byte ");
  sayNumber(fileReceived());
  say(" after a reset");
  reportStatus(active, Status.DownloadStep);
  progressContinue();
  return startFetch(fileReceived());
}

/** Receiving, FileDone: the next file of a URL_LIST starts where the last one ended. */
export function startNextFile(_a: u32, _b: u32, _c: u32): Next {
  fileSelect(fileIndex() + 1, imageLength());
  attemptsReset();
  return startFile();
}
