import { createServer, type Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';

export const LOOPBACK_HOST = '127.0.0.1';

/** Listens on a loopback port (0: a free one) and returns it. */
export function listenOnLoopback(server: NetServer | HttpServer, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK_HOST, () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('server did not report a TCP port'));
        return;
      }
      resolve(address.port);
    });
  });
}

/** Remembers a server's open sockets so stop() can end them instead of waiting for clients. */
export function trackSockets(server: NetServer | HttpServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** Stops accepting, drops every open connection, and resolves once the server is closed. */
export function closeServer(server: NetServer | HttpServer, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
}

/** Reads a request body, refusing more than `limitBytes`. */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      // Past the limit keep draining (so an answer can still be sent) but store nothing.
      if (total > limitBytes) reject(new BodyTooLargeError(limitBytes));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`request body is larger than ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * An HTTP server on a free loopback port with the lifecycle every emulator needs: start
 * returns the base URL, stop drops open connections and raises `stopSignal` so that long
 * answers (long-polls, stalled bodies) end at once.
 */
export class LoopbackHttpServer {
  private server?: HttpServer;
  private sockets = new Set<Socket>();
  private stopping = new AbortController();
  private port = 0;

  constructor(
    private readonly name: string,
    private readonly handle: (req: IncomingMessage, res: ServerResponse) => void,
  ) {}

  /** Listens on `port` of the loopback interface (0: a free one) and returns the base URL. */
  async start(port = 0): Promise<string> {
    if (this.server) throw new Error(`${this.name} is already started`);
    this.stopping = new AbortController();
    const server = createServer(this.handle);
    this.sockets = trackSockets(server);
    this.port = await listenOnLoopback(server, port);
    this.server = server;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.stopping.abort();
    await closeServer(server, this.sockets);
  }

  get url(): string {
    if (!this.server) throw new Error(`${this.name} is not started`);
    return `http://${LOOPBACK_HOST}:${this.port}`;
  }

  get stopSignal(): AbortSignal {
    return this.stopping.signal;
  }
}
