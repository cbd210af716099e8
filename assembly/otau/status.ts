// The otau_in statuses of the Exosite OTA update schema, in the order the schema's
// sequence diagram emits them. Names are the exact strings written to otau_in, as text constants.
import { Text, text } from "../text";

export const enum Status {
  Init = 0,
  Test,
  TestStep,
  TestError,
  TestSuccess,
  Download,
  DownloadStep,
  DownloadSuccess,
  DownloadError,
  Install,
  InstallStep,
  InstallAborted,
  InstallError,
  InstallSuccess,
  InstalledVersion,
}

export function statusName(status: Status): Text {
  switch (status) {
    case Status.Init: return text("INIT");
    case Status.Test: return text("TEST");
    case Status.TestStep: return text("TEST_STEP");
    case Status.TestError: return text("TEST_ERROR");
    case Status.TestSuccess: return text("TEST_SUCCESS");
    case Status.Download: return text("DOWNLOAD");
    case Status.DownloadStep: return text("DOWNLOAD_STEP");
    case Status.DownloadSuccess: return text("DOWNLOAD_SUCCESS");
    case Status.DownloadError: return text("DOWNLOAD_ERROR");
    case Status.Install: return text("INSTALL");
    case Status.InstallStep: return text("INSTALL_STEP");
    case Status.InstallAborted: return text("INSTALL_ABORTED");
    case Status.InstallError: return text("INSTALL_ERROR");
    case Status.InstallSuccess: return text("INSTALL_SUCCESS");
    default: return text("INSTALLED_VERSION");
  }
}
