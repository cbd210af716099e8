// The otau_in statuses of the Exosite OTA update schema, in the order the schema's
// sequence diagram emits them. Names are the exact strings written to otau_in.

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

export function statusName(status: Status): string {
  switch (status) {
    case Status.Init: return "INIT";
    case Status.Test: return "TEST";
    case Status.TestStep: return "TEST_STEP";
    case Status.TestError: return "TEST_ERROR";
    case Status.TestSuccess: return "TEST_SUCCESS";
    case Status.Download: return "DOWNLOAD";
    case Status.DownloadStep: return "DOWNLOAD_STEP";
    case Status.DownloadSuccess: return "DOWNLOAD_SUCCESS";
    case Status.DownloadError: return "DOWNLOAD_ERROR";
    case Status.Install: return "INSTALL";
    case Status.InstallStep: return "INSTALL_STEP";
    case Status.InstallAborted: return "INSTALL_ABORTED";
    case Status.InstallError: return "INSTALL_ERROR";
    case Status.InstallSuccess: return "INSTALL_SUCCESS";
    default: return "INSTALLED_VERSION";
  }
}
