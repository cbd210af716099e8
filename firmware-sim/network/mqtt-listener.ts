import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type AedesOptions } from 'aedes';
import { closeServer, listenOnLoopback, LOOPBACK_HOST, trackSockets } from './loopback.ts';
import type { TlsCredentials } from './tls-credentials.ts';

/**
 * An aedes broker on a free loopback port (mqtt://), and with `tls` given on a second one
 * that speaks MQTT over TLS (mqtts://) with that server certificate: the same broker behind both.
 */
export class MqttListener {
  private constructor(
    readonly broker: Aedes,
    private readonly servers: Array<{ server: Server; sockets: Set<Socket> }>,
    readonly port: number,
    readonly tlsPort: number | undefined,
  ) {}

  /** Plain MQTT on loopback `port` (0: a free one); with `tls` also MQTT over TLS on a free port. */
  static async start(options: AedesOptions, port = 0, tls?: TlsCredentials): Promise<MqttListener> {
    // The $SYS heartbeat is noise for emulated clouds; push it far out.
    const broker = await Aedes.createBroker({ heartbeatInterval: 3_600_000, ...options });
    const handle = (socket: Socket): void => {
      // Replies are small packets; without this Nagle + delayed ACK add ~40 ms per exchange.
      socket.setNoDelay(true);
      broker.handle(socket);
    };
    const plain = createServer(handle);
    const servers = [{ server: plain, sockets: trackSockets(plain) }];
    const listening = await listenOnLoopback(plain, port);
    let tlsPort: number | undefined;
    if (tls) {
      const secure = createTlsServer({ cert: tls.cert, key: tls.key }, handle);
      servers.push({ server: secure, sockets: trackSockets(secure) });
      tlsPort = await listenOnLoopback(secure);
    }
    return new MqttListener(broker, servers, listening, tlsPort);
  }

  get url(): string {
    return `mqtt://${LOOPBACK_HOST}:${this.port}`;
  }

  /** The mqtts:// URL, when started with TLS credentials. */
  get tlsUrl(): string | undefined {
    return this.tlsPort === undefined ? undefined : `mqtts://${LOOPBACK_HOST}:${this.tlsPort}`;
  }

  async close(): Promise<void> {
    // Drop the sockets first: the broker then closes clients that are already gone.
    const serversClosed = Promise.all(this.servers.map(({ server, sockets }) => closeServer(server, sockets)));
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    await serversClosed;
  }
}
