// A real NATS cluster for a test: three nats-server nodes on free loopback ports, routed to
// each other, each with JetStream (its own store folder) and an MQTT 3.1.1 listener, so MQTT
// clients on different nodes reach each other as on one broker. Config in a fresh temp
// folder; stop() ends the nodes and removes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface NatsNode {
  name: string;
  child: ChildProcess;
  mqttPort: number;
  monitorPort: number;
  log: string;
}

export class NatsCluster {
  private constructor(private readonly nodes: NatsNode[], private readonly dir: string) {}

  /** One mqtt:// URL per node. */
  get mqttUrls(): string[] {
    return this.nodes.map((node) => `mqtt://127.0.0.1:${node.mqttPort}`);
  }

  /** Connections each node has accepted so far (MQTT clients included), from its monitoring endpoint. */
  async totalConnections(): Promise<number[]> {
    return Promise.all(this.nodes.map(async (node) => {
      const varz = (await (await fetch(`http://127.0.0.1:${node.monitorPort}/varz`)).json()) as { total_connections: number };
      return varz.total_connections;
    }));
  }

  static async start(size = 3): Promise<NatsCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'otau-nats-'));
    const free = await freePorts(4 * size);
    const ports = Array.from({ length: size }, (_, i) => ({
      client: free[4 * i], cluster: free[4 * i + 1], mqtt: free[4 * i + 2], monitor: free[4 * i + 3],
    }));
    const nodes: NatsNode[] = [];
    const cluster = new NatsCluster(nodes, dir);
    try {
      for (const [i, port] of ports.entries()) {
        const name = `otau-n${i + 1}`;
        const routes = ports.filter((_, j) => j !== i).map((p) => `nats-route://127.0.0.1:${p.cluster}`).join(', ');
        const config = join(dir, `${name}.conf`);
        await writeFile(config, [
          `server_name: ${name}`,
          `listen: 127.0.0.1:${port.client}`,
          `http: 127.0.0.1:${port.monitor}`,
          `jetstream { store_dir: "${join(dir, name)}" }`,
          `mqtt { listen: 127.0.0.1:${port.mqtt} }`,
          // A single node is no cluster: JetStream refuses a cluster block without routes.
          size > 1 ? `cluster { name: otau-test, listen: 127.0.0.1:${port.cluster}, routes: [${routes}] }` : '',
          '',
        ].join('\n'));
        const child = spawn('nats-server', ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
        const node: NatsNode = { name, child, mqttPort: port.mqtt, monitorPort: port.monitor, log: '' };
        child.stderr?.on('data', (chunk: Buffer) => (node.log += chunk.toString()));
        nodes.push(node);
      }
      await Promise.all(nodes.map((node) => waitHealthy(node)));
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }));
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The node answers its health check with JetStream up (the cluster has its meta leader). */
async function waitHealthy(node: NatsNode): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (node.child.exitCode !== null) throw new Error(`nats-server ${node.name} exited (${node.child.exitCode}):\n${node.log}`);
    try {
      const response = await fetch(`http://127.0.0.1:${node.monitorPort}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`nats-server ${node.name} not healthy after 20 s:\n${node.log.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `count` distinct free ports: every listener stays open until all have their port, since a
 * port released at once may be handed out again to the next (a node once got the same port
 * for its monitor and its routes, and failed with "address already in use").
 */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<Server>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
