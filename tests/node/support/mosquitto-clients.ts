// Debian's mosquitto_sub as a test client: started with -d so that its SUBACK shows when it is
// really subscribed (no guessing with sleeps); message lines are printed with -F.
import { spawn } from 'node:child_process';

export interface Subscriber {
  /** Resolves once the broker acknowledged the subscription. */
  ready: Promise<void>;
  /** The `count` messages, formatted by `format` (mosquitto_sub -F), once they came. */
  messages: Promise<string[]>;
}

export function mosquittoSub(args: string[], count: number, format = '%t|%p'): Subscriber {
  // Line-buffered (coreutils' stdbuf): a pipe would otherwise hold the SUBACK line until exit.
  const child = spawn('stdbuf', ['-oL', 'mosquitto_sub', ...args, '-d', '-C', String(count), '-W', '15', '-F', format]);
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('received SUBACK')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const messages = new Promise<string[]>((resolve, reject) => {
    child.on('close', (code) => {
      markReady();
      // -d also prints "Client … sending/received …" lines; the rest are the messages.
      const lines = out.split('\n').filter((line) => line !== '' && !/^(Client \S* (sending|received) |Subscribed \(mid)/.test(line));
      if (code === 0) resolve(lines);
      else reject(new Error(`mosquitto_sub exited ${code}: ${out}${err}`));
    });
  });
  return { ready, messages };
}
