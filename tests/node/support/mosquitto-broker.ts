// A real mosquitto broker for a test: its own config in a fresh temp folder, on a free
// loopback port (mosquitto cannot listen on port 0, so a port the kernel just handed out
// is taken), no persistence; anonymous access, or with `users` a password file made by
// mosquitto_passwd. stop() ends it and removes the folder.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class MosquittoBroker {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
    readonly log: () => string,
  ) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** `extraConfig`: more mosquitto.conf lines, e.g. a bridge's `connection` section. */
  static async start(users: Record<string, string> = {}, extraConfig = ''): Promise<MosquittoBroker> {
    const dir = await mkdtemp(join(tmpdir(), 'otau-mosquitto-'));
    const port = await freePort();
    const config = join(dir, 'mosquitto.conf');
    let access = 'allow_anonymous true\n';
    if (Object.keys(users).length > 0) {
      const passwords = join(dir, 'passwords');
      await writeFile(passwords, '');
      for (const [user, password] of Object.entries(users)) execFileSync('mosquitto_passwd', ['-b', passwords, user, password]);
      // Started as root, mosquitto drops to its own user, which must still read the file.
      await chmod(dir, 0o755);
      await chmod(passwords, 0o644);
      access = `allow_anonymous false\npassword_file ${passwords}\n`;
    }
    await writeFile(config, `listener ${port} 127.0.0.1\n${access}persistence false\nlog_dest stderr\n${extraConfig}`);
    const child = spawn('mosquitto', ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const broker = new MosquittoBroker(child, dir, port, () => log);
    try {
      await waitForPort(port, child);
    } catch (error) {
      await broker.stop();
      throw new Error(`mosquitto did not start: ${(error as Error).message}\n${log}`);
    }
    return broker;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
