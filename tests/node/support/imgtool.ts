// MCUboot's real imgtool (PyPI imgtool, pinned in scripts/python-requirements.txt, installed
// into the git-ignored .venv by `npm install`): keys and signed images made by the tool
// embedded teams use, for the interop tests. Each helper works in its own mkdtemp folder.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const IMGTOOL = fileURLToPath(new URL("../../../.venv/bin/imgtool", import.meta.url));

const work = mkdtempSync(join(tmpdir(), "otau-imgtool-"));
let files = 0;

function imgtool(...args: string[]): string {
  return execFileSync(IMGTOOL, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export interface ImgtoolKey {
  /** The private key PEM file imgtool wrote. */
  privatePem: string;
  /** `imgtool getpub -e pem`: the public key PEM. */
  publicPem: string;
}

/** `imgtool keygen -t ed25519` and `imgtool getpub -e pem`. */
export function imgtoolKeygen(): ImgtoolKey {
  const privatePem = join(work, `key${++files}.pem`);
  imgtool("keygen", "-k", privatePem, "-t", "ed25519");
  const publicPem = join(work, `key${files}.pub.pem`);
  writeFileSync(publicPem, imgtool("getpub", "-k", privatePem, "-e", "pem"));
  return { privatePem, publicPem };
}

export interface ImgtoolSignOptions {
  version: string;
  /** No key: `imgtool sign` without -k (a hash-only, unsigned image). */
  key?: ImgtoolKey;
  securityCounter?: number;
  slotSize?: number;
  /** `--rom-fixed <address>`: the image runs in place from that address only (IMAGE_F_ROM_FIXED). */
  romFixed?: number;
}

/** `imgtool sign --header-size 0x200 --pad-header --align 4` of `body`. */
export function imgtoolSign(body: Uint8Array, options: ImgtoolSignOptions): Buffer {
  const input = join(work, `body${++files}.bin`);
  const output = join(work, `signed${files}.bin`);
  writeFileSync(input, body);
  const args = ["sign", "--header-size", "0x200", "--pad-header", "--align", "4", "--version", options.version,
    "-S", String(options.slotSize ?? 0x40000)];
  if (options.key) args.push("-k", options.key.privatePem);
  if (options.securityCounter !== undefined) args.push("--security-counter", String(options.securityCounter));
  if (options.romFixed !== undefined) args.push("--rom-fixed", `0x${options.romFixed.toString(16)}`);
  imgtool(...args, input, output);
  return readFileSync(output);
}

/** `imgtool verify -k <key>` of `image`: true when imgtool accepts it. */
export function imgtoolVerifies(image: Uint8Array, key: ImgtoolKey): boolean {
  const file = join(work, `check${++files}.bin`);
  writeFileSync(file, image);
  try {
    imgtool("verify", "-k", key.publicPem, file);
    return true;
  } catch {
    return false;
  }
}

/** `imgtool dumpinfo` of `image`: the header's fields as imgtool prints them. */
export function imgtoolDumpinfo(image: Uint8Array): string {
  const file = join(work, `dump${++files}.bin`);
  writeFileSync(file, image);
  return imgtool("dumpinfo", file);
}
