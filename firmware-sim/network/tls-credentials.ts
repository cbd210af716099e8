// A certificate authority and a server certificate made for one run, so that the emulated
// clouds can serve MQTT over TLS (as Murano does on 8883) to clients that verify the chain and
// the host name. node:crypto makes keys but not X.509 certificates, so Debian's `openssl` CLI
// (always present where libcurl and libmosquitto are) signs them.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TlsCredentials {
  /** The CA certificate (PEM) clients are told to trust (`--cafile`, `--mqtt-ca`). */
  ca: Buffer;
  /** The server's certificate (PEM), for 127.0.0.1 and localhost, signed by `ca`. */
  cert: Buffer;
  /** The server's private key (PEM). */
  key: Buffer;
}

/** Makes a fresh CA and a server certificate valid for 127.0.0.1 and localhost, one day long. */
export async function makeTlsCredentials(): Promise<TlsCredentials> {
  const dir = await mkdtemp(join(tmpdir(), "otau-tls-"));
  const file = (name: string): string => join(dir, name);
  try {
    await openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "1", "-subj", "/CN=otau-sim test CA",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    await openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=127.0.0.1"]);
    await writeFile(file("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
    await openssl(["x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
      "-CAcreateserial", "-out", file("server.pem"), "-days", "1", "-extfile", file("server.ext")]);
    const [ca, cert, key] = await Promise.all(["ca.pem", "server.pem", "server.key"].map((name) => readFile(file(name))));
    return { ca, cert, key };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run("openssl", args);
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new Error(`openssl ${args[0]} failed (is Debian's openssl installed?): ${detail}`);
  }
}
