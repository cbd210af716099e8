import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';

export const LOOPBACK_HOST = '127.0.0.1';

/** Listens on a free loopback port and returns it. */
export function listenOnLoopback(server: NetServer | HttpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => {
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
