// One update instruction, normalised from either cloud's document into static memory.
// Murano's config_otau and Kaa's cmx_ota config both become this; the state machine
// reads nothing else. A request is one fixed-size block, so the parser fills a
// candidate and the engine adopts it with a single copy (or drops it): a document
// that fails half-way never disturbs the update in progress.

import { sha256Final, sha256Init, sha256Update } from "../crypto/sha256";

export const enum Cloud { Murano = 0, Kaa = 1 }
export const enum UpdateKind { File = 0, Json = 1, UrlList = 2 }

export const VERSION_CAPACITY: i32 = 64;
export const MAX_FILES: i32 = 8;
export const URL_POOL_CAPACITY: i32 = 2048;
export const DIGEST_SIZE: i32 = 32;

// Block layout.
const CLOUD: usize = 0; // u8
const KIND: usize = 1; // u8
const FILE_COUNT: usize = 2; // u8
const SIGNED: usize = 3; // u8
const VERSION_LENGTH: usize = 4; // i32
const URL_POOL_USED: usize = 8; // i32
const VERSION: usize = 12;
const FILES: usize = VERSION + VERSION_CAPACITY;
// Per file: URL offset in the pool, URL length, expected size, flags, expected digest.
const FILE_URL_START: usize = 0;
const FILE_URL_LENGTH: usize = 4;
const FILE_SIZE: usize = 8;
const FILE_FLAGS: usize = 12;
const FILE_DIGEST: usize = 16;
const FILE_ENTRY: usize = FILE_DIGEST + DIGEST_SIZE;
const URL_POOL: usize = FILES + FILE_ENTRY * MAX_FILES;
export const REQUEST_SIZE: usize = URL_POOL + URL_POOL_CAPACITY;

const SIZE_KNOWN: u32 = 1;
const DIGEST_KNOWN: u32 = 2;

/** The request being parsed from the latest document. */
export const candidate = memory.data(<i32>REQUEST_SIZE, 8);
/** The request the state machine is carrying out. */
export const active = memory.data(<i32>REQUEST_SIZE, 8);

export function adoptCandidate(): void {
  memory.copy(active, candidate, REQUEST_SIZE);
}

export function clearRequest(req: usize, cloud: Cloud): void {
  memory.fill(req, 0, URL_POOL);
  store<u8>(req + CLOUD, <u8>cloud);
}

export function cloudOf(req: usize): Cloud { return <Cloud>load<u8>(req + CLOUD); }
export function kindOf(req: usize): UpdateKind { return <UpdateKind>load<u8>(req + KIND); }
export function setKind(req: usize, kind: UpdateKind): void { store<u8>(req + KIND, <u8>kind); }
export function isSigned(req: usize): bool { return load<u8>(req + SIGNED) != 0; }
export function markSigned(req: usize): void { store<u8>(req + SIGNED, 1); }

export function versionPtr(req: usize): usize { return req + VERSION; }
export function versionLength(req: usize): i32 { return load<i32>(req + VERSION_LENGTH); }
export function setVersionLength(req: usize, len: i32): void { store<i32>(req + VERSION_LENGTH, len); }

export function sameVersion(a: usize, b: usize): bool {
  const len = versionLength(a);
  return len == versionLength(b) && memory.compare(versionPtr(a), versionPtr(b), len) == 0;
}

export function fileCount(req: usize): i32 { return load<u8>(req + FILE_COUNT); }

function file(req: usize, index: i32): usize { return req + FILES + <usize>index * FILE_ENTRY; }

/** Where the next URL's bytes go, and how many may be written there. */
export function urlPoolNext(req: usize): usize { return req + URL_POOL + load<i32>(req + URL_POOL_USED); }
export function urlPoolRoom(req: usize): i32 { return URL_POOL_CAPACITY - load<i32>(req + URL_POOL_USED); }

/** Commits a URL already written at urlPoolNext() as the next file; returns its index. */
export function addFile(req: usize, urlLen: i32): i32 {
  const index = fileCount(req);
  const entry = file(req, index);
  const used = load<i32>(req + URL_POOL_USED);
  store<i32>(entry + FILE_URL_START, used);
  store<i32>(entry + FILE_URL_LENGTH, urlLen);
  store<u32>(entry + FILE_FLAGS, 0);
  store<i32>(req + URL_POOL_USED, used + urlLen);
  store<u8>(req + FILE_COUNT, <u8>(index + 1));
  return index;
}

/** Drops every file and URL (a document's `slots` entry replaces its ordinary files). */
export function clearFiles(req: usize): void {
  memory.fill(req + FILES, 0, FILE_ENTRY * MAX_FILES);
  store<u8>(req + FILE_COUNT, 0);
  store<i32>(req + URL_POOL_USED, 0);
}

export function fileUrl(req: usize, index: i32): usize { return req + URL_POOL + load<i32>(file(req, index) + FILE_URL_START); }
export function fileUrlLength(req: usize, index: i32): i32 { return load<i32>(file(req, index) + FILE_URL_LENGTH); }

export function setFileSize(req: usize, index: i32, size: u32): void {
  const entry = file(req, index);
  store<u32>(entry + FILE_SIZE, size);
  store<u32>(entry + FILE_FLAGS, load<u32>(entry + FILE_FLAGS) | SIZE_KNOWN);
}
export function fileSizeKnown(req: usize, index: i32): bool { return (load<u32>(file(req, index) + FILE_FLAGS) & SIZE_KNOWN) != 0; }
export function fileSize(req: usize, index: i32): u32 { return load<u32>(file(req, index) + FILE_SIZE); }

/** File `index`'s expected digest (32 bytes); meaningful once markDigestKnown was called. */
export function fileDigest(req: usize, index: i32): usize { return file(req, index) + FILE_DIGEST; }
export function markDigestKnown(req: usize, index: i32): void {
  const entry = file(req, index);
  store<u32>(entry + FILE_FLAGS, load<u32>(entry + FILE_FLAGS) | DIGEST_KNOWN);
}
export function fileDigestKnown(req: usize, index: i32): bool { return (load<u32>(file(req, index) + FILE_FLAGS) & DIGEST_KNOWN) != 0; }

/**
 * Two requests describe the same update when version, kind, file count and each file's
 * digest and size agree. URLs are left out on purpose: Kaa hands out a fresh presigned
 * URL on every request, and a new URL for the same image must not restart a download.
 */
export function sameUpdate(a: usize, b: usize): bool {
  if (!sameVersion(a, b) || kindOf(a) != kindOf(b) || fileCount(a) != fileCount(b)) return false;
  for (let i = 0; i < fileCount(a); i++) {
    const fa = file(a, i), fb = file(b, i);
    if (load<u32>(fa + FILE_FLAGS) != load<u32>(fb + FILE_FLAGS)) return false;
    if (fileSizeKnown(a, i) && fileSize(a, i) != fileSize(b, i)) return false;
    if (fileDigestKnown(a, i) && memory.compare(fa + FILE_DIGEST, fb + FILE_DIGEST, DIGEST_SIZE) != 0) return false;
  }
  return true;
}

/** Takes the candidate's URLs into the active request (same update, fresh links). */
export function refreshUrls(): void {
  memory.copy(active + FILES, candidate + FILES, REQUEST_SIZE - FILES);
}

/** The 32-byte identity of a request for the progress journal: exactly what sameUpdate compares. */
export function fingerprint(req: usize, out: usize, context: usize): void {
  sha256Init(context);
  sha256Update(context, req + VERSION_LENGTH, 4);
  sha256Update(context, req + VERSION, <usize>versionLength(req));
  sha256Update(context, req + KIND, 2); // kind and file count
  for (let i = 0; i < fileCount(req); i++) {
    const entry = file(req, i);
    sha256Update(context, entry + FILE_SIZE, 8); // size and flags
    if (fileDigestKnown(req, i)) sha256Update(context, entry + FILE_DIGEST, DIGEST_SIZE);
  }
  sha256Final(context, out);
}

/** Bytes of a request block that hold its cloud and version: enough for a status report. */
export const VERSION_BLOCK_SIZE: usize = VERSION + VERSION_CAPACITY;

export function setCloud(req: usize, cloud: Cloud): void { store<u8>(req + CLOUD, <u8>cloud); }
