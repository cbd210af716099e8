import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import { closeServer, listenOnLoopback, LOOPBACK_HOST, trackSockets } from './loopback.ts';

/** An aedes broker listening on a free loopback port (plain TCP: the emulators skip TLS). */
export class MqttListener {
  private constructor(
    readonly broker: Aedes,
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    readonly port: number,
  ) {}

  static async start(options: AedesOptions, port = 0): Promise<MqttListener> {
    // The $SYS heartbeat is noise for emulated clouds; push it far out.
    const broker = await Aedes.createBroker({ heartbeatInterval: 3_600_000, ...options });
    const server = createServer((socket) => {
      // Replies are small packets; without this Nagle + delayed ACK add ~40 ms per exchange.
      socket.setNoDelay(true);
      broker.handle(socket);
    });
    const sockets = trackSockets(server);
    const listening = await listenOnLoopback(server, port);
    return new MqttListener(broker, server, sockets, listening);
  }

  get url(): string {
    return `mqtt://${LOOPBACK_HOST}:${this.port}`;
  }

  async close(): Promise<void> {
    // Drop the sockets first: the broker then closes clients that are already gone.
    const serverClosed = closeServer(this.server, this.sockets);
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    await serverClosed;
  }
}
