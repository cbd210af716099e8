// The TEST steps of an update, each reported as TEST_STEP or, at the first that fails,
// TEST_ERROR naming the field and the values involved: version order and the downgrade
// policy, Kaa's upgradableFrom, the build taken from a per-slot table, each URL, a digest (or
// the device's consent to an image nothing verifies), and the fit of the image in the
// writable slot (and that it is not empty).
import { Setting } from "../abi";
import { decodeString, firstElement, nextElement } from "../json/reader";
import { documentEnd, upgradableFromAt } from "../manifest/kaa";
import { jsonPayloadAt, jsonPayloadEnd } from "../manifest/murano";
import { slotBuildTaken } from "../manifest/slot_builds";
import {
  Cloud, UpdateKind, active, cloudOf, fileCount, fileDigestKnown, fileSize, fileSizeKnown, fileUrl, fileUrlLength,
  isSigned, kindOf, versionLength, versionPtr,
} from "../manifest/update_request";
import { firstNonUrlByte, isHttpUrl } from "../manifest/url";
import { messageClear, say, sayBytes, sayHex, sayNumber, sayText } from "../message";
import { fileSpan, inactiveSlotName, installedRequestVersion, slotCapacity } from "./image_store";
import { reportStatus, sayVersion } from "./report";
import { NOT_COMPARABLE, compareVersions, isSemanticVersion } from "../manifest/version";
import { setting } from "./settings";
import { requiresSignedImages, sayTrustPolicy } from "./signed_image";
import { Status } from "./status";
import { text } from "../text";

function testStep(): void {
  reportStatus(active, Status.TestStep);
}

function testError(): bool {
  reportStatus(active, Status.TestError);
  return false;
}

/** Runs every check on `active`; false after the TEST_ERROR of the first that fails. */
export function runTests(): bool {
  const installed = installedRequestVersion();
  if (!testVersionOrder(installed)) return false;
  if (cloudOf(active) == Cloud.Kaa && upgradableFromAt != 0 && !testUpgradableFrom(installed)) return false;

  if (requiresSignedImages() && kindOf(active) != UpdateKind.Json) {
    messageClear();
    sayTrustPolicy();
    if (fileCount(active) != 1) {
      say("; this config has ");
      sayNumber(fileCount(active));
      say(" files, a signed image is one");
      return testError();
    }
    testStep();
  } else if (isSigned(active)) {
    messageClear();
    say("the config names a signature; this device trusts no keys, so the sha256 digest is the integrity check");
    testStep();
  }

  if (slotBuildTaken() != 0) {
    messageClear();
    say("the config gives a build per slot; this device writes slot ");
    say(inactiveSlotName());
    say(" and takes its build");
    testStep();
  }

  if (kindOf(active) == UpdateKind.Json) {
    messageClear();
    say("payload is a JSON object of ");
    sayNumber(jsonPayloadEnd - jsonPayloadAt);
    say(" bytes");
    testStep();
    return true;
  }
  return testFiles();
}

/** The downgrade policy, by SemVer 2.0.0 precedence (manifest/version.ts). */
function testVersionOrder(installed: usize): bool {
  const order = compareVersions(versionPtr(active), versionLength(active), versionPtr(installed), versionLength(installed));
  const mayDowngrade = setting(Setting.AllowDowngrade) != 0;
  // A JSON config's version names settings, not firmware: it is ordered only when it can be.
  if (order == NOT_COMPARABLE && !mayDowngrade && kindOf(active) != UpdateKind.Json) return refuseUnordered(installed);
  sayVersion(active);
  if (order == NOT_COMPARABLE) {
    say(" and installed ");
    sayBytes(versionPtr(installed), versionLength(installed));
    say(" are not both semantic versions; no downgrade check");
  } else if (order == 0) {
    say(" has the same precedence as installed ");
    sayBytes(versionPtr(installed), versionLength(installed));
    say(" (they differ in build metadata only)");
  } else if (order < 0 && !mayDowngrade) {
    say(" is older than installed ");
    sayBytes(versionPtr(installed), versionLength(installed));
    say(" and this device does not allow downgrades");
    return testError();
  } else {
    sayText(order < 0 ? text(" is a downgrade from installed ") : text(" is an upgrade from installed "));
    sayBytes(versionPtr(installed), versionLength(installed));
  }
  testStep();
  return true;
}

/**
 * With downgrades forbidden, an image whose version (or the installed one) is not a semantic
 * version cannot be ordered, so it is refused: comparing only what parses failed open.
 */
function refuseUnordered(installed: usize): bool {
  // Name whichever of the two does not parse (the update's version first).
  const updateParses = isSemanticVersion(versionPtr(active), versionLength(active));
  const named = updateParses ? installed : active;
  messageClear();
  say(updateParses ? "installed version \"" : "version \"");
  sayBytes(versionPtr(named), versionLength(named));
  say("\" is not a semantic version (MAJOR.MINOR.PATCH[-pre-release][+build], semver.org) and this device does not allow downgrades, so ");
  if (updateParses) {
    say("version ");
    sayBytes(versionPtr(active), versionLength(active));
    say(" cannot be ordered against it");
  } else {
    say("it cannot be ordered against installed ");
    sayBytes(versionPtr(installed), versionLength(installed));
  }
  return testError();
}

/**
 * A file without a sha256 digest. On a device with keys the signed image's own hash and
 * signature verify it; otherwise nothing would, so it is refused unless the device allows
 * unverified images, and then the step says so.
 */
function testUnverified(index: i32): bool {
  messageClear();
  say("file ");
  sayNumber(index + 1);
  if (setting(Setting.RequireDigest) != 0) {
    say(" has no sha256 digest and this device requires one");
    return testError();
  }
  // Its MCUboot signature and SHA256 TLV are checked (signed_image.ts): that is integrity.
  if (requiresSignedImages()) return true;
  if (setting(Setting.AllowUnverifiedImages) == 0) {
    say(" has no sha256 digest, so nothing would verify it, and this device does not accept unverified images (setting AllowUnverifiedImages)");
    return testError();
  }
  say(" has no sha256 digest: it will be installed unverified (setting AllowUnverifiedImages)");
  testStep();
  return true;
}

/** Each file's URL and digest, then the whole image against the slot. */
function testFiles(): bool {
  const capacity = slotCapacity();
  const files = fileCount(active);
  let total: u64 = 0;
  let sizesKnown = true;
  for (let i = 0; i < files; i++) {
    const url = fileUrl(active, i);
    const urlLen = fileUrlLength(active, i);
    messageClear();
    say("file ");
    sayNumber(i + 1);
    say(" URL ");
    if (!isHttpUrl(url, urlLen)) {
      say("must start with http:// or https://: \"");
      sayBytes(url, urlLen);
      say("\"");
      return testError();
    }
    const bad = firstNonUrlByte(url, urlLen);
    if (bad >= 0) {
      say("has byte 0x");
      sayHex(url + bad, 1);
      say(" at ");
      sayNumber(bad);
      say(", which a URL cannot hold (control, space or non-ASCII)");
      return testError();
    }
    say("is http(s)");
    testStep();
    if (!fileDigestKnown(active, i) && !testUnverified(i)) return false;
    // A file followed by another takes whole sectors (image_store.imageEndFile).
    if (fileSizeKnown(active, i)) total += i + 1 < files ? fileSpan(fileSize(active, i)) : <u64>fileSize(active, i);
    else sizesKnown = false;
  }
  messageClear();
  if (sizesKnown) {
    say("image of ");
    sayNumber(total);
    say(" bytes");
    if (total == 0) {
      // The bootloader boots no empty image: arming one would only end in a rollback.
      say(" is empty: there is nothing to install");
      return testError();
    }
    if (total > <u64>capacity) {
      say(" does not fit slot ");
      say(inactiveSlotName());
      say(" of ");
      sayNumber(capacity);
      say(" bytes");
      return testError();
    }
    say(" fits slot ");
  } else {
    say("size not given; checked while downloading against slot ");
  }
  say(inactiveSlotName());
  say(" of ");
  sayNumber(capacity);
  say(" bytes");
  testStep();
  return true;
}

function testUpgradableFrom(installed: usize): bool {
  let element = firstElement(upgradableFromAt, documentEnd);
  while (element != 0) {
    if (matchesVersion(element, installed)) {
      messageClear();
      say("installed version ");
      sayBytes(versionPtr(installed), versionLength(installed));
      say(" is in upgradableFrom");
      testStep();
      return true;
    }
    element = nextElement(element, documentEnd);
  }
  messageClear();
  say("installed version ");
  sayBytes(versionPtr(installed), versionLength(installed));
  say(" is not in upgradableFrom");
  return testError();
}

const versionScratch = memory.data(64);

function matchesVersion(stringAt: usize, installed: usize): bool {
  const len = decodeString(stringAt, documentEnd, versionScratch, 64);
  return len == versionLength(installed) && memory.compare(versionScratch, versionPtr(installed), len) == 0;
}
