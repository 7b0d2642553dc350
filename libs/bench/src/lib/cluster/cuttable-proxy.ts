/**
 * A TCP proxy on 127.0.0.1 in front of one target, whose link can be cut and healed while both
 * ends keep running: a network partition between two nodes, not a paused or a dead process.
 *
 * What a cut does, and why:
 * - Connections open at the cut **stall**: both sockets stay open, and every byte either end
 *   sends is read and thrown away (counted in `droppedBytes`). A partition is silence, not a
 *   reset: each end notices only through its own timeouts, as it would when packets are lost.
 *   Reading the bytes (rather than pausing the sockets) is what makes this unlike SIGSTOP: a
 *   paused process reads its socket buffers when it resumes, a cut link never delivers them.
 * - New connections during a cut are **accepted and go nowhere**: no connection to the target
 *   is opened, and whatever the client sends is dropped. Refusing them would tell the client at
 *   once that nothing listens (ECONNREFUSED), which is what a dead process says, not a
 *   partition; accepting gives it the same silence as a SYN lost on the wire.
 * - `heal()` destroys every connection that lived through the cut: bytes were dropped from
 *   their streams, so what follows could never be parsed (a real TCP stack would have
 *   retransmitted, but by then the applications' timeouts have given up on those requests).
 *   The ends open fresh connections, which pass again.
 *
 * Bounded: each direction of each connection forwards with backpressure (the reading side
 * pauses while the writing side's buffer is full), so the proxy holds at most one socket
 * buffer per direction per connection.
 */
import net from 'node:net';

export interface CuttableProxyOptions {
  /** Port of the target on `targetHost`. */
  targetPort: number;
  targetHost?: string;
  /** Port to listen on (default 0: a free one the OS picks), always on 127.0.0.1. */
  port?: number;
}

export interface ProxyStats {
  /** Bytes forwarded from clients to the target. */
  bytesToTarget: number;
  /** Bytes forwarded from the target back to clients. */
  bytesFromTarget: number;
  /** Bytes read from either end during a cut and never delivered. */
  droppedBytes: number;
  /** Client connections accepted since the start. */
  acceptedConnections: number;
  /** Client connections open now. */
  openConnections: number;
  cut: boolean;
}

interface Link {
  client: net.Socket;
  /** Null for a connection accepted during a cut: it never reaches the target. */
  upstream: net.Socket | null;
  /** Lived through a cut: destroyed on heal. */
  tainted: boolean;
}

const LISTEN_HOST = '127.0.0.1';

export class CuttableProxy {
  private readonly links = new Set<Link>();
  private isCut = false;
  private closed = false;
  private readonly counters = { bytesToTarget: 0, bytesFromTarget: 0, droppedBytes: 0, acceptedConnections: 0 };

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Starts listening and resolves once the port is known. */
  static start(options: CuttableProxyOptions): Promise<CuttableProxy> {
    const server = net.createServer();
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, LISTEN_HOST, () => {
        server.removeListener('error', reject);
        const { port } = server.address() as net.AddressInfo;
        const proxy = new CuttableProxy(server, port, options.targetHost ?? LISTEN_HOST, options.targetPort);
        server.on('connection', (socket) => proxy.accept(socket));
        resolve(proxy);
      });
    });
  }

  /** The proxy as an HTTP base URL, for a node that should reach the target through it. */
  get url(): string {
    return `http://${LISTEN_HOST}:${this.port}`;
  }

  get cutNow(): boolean {
    return this.isCut;
  }

  /** Cuts the link: from now on nothing passes in either direction (see the file's comment). */
  cut(): void {
    this.isCut = true;
    for (const link of this.links) {
      link.tainted = true;
      // A side paused by backpressure must keep being read, so its bytes are dropped, not held.
      link.client.resume();
      link.upstream?.resume();
    }
  }

  /** Heals the link: connections that lived through the cut are destroyed, new ones pass. */
  heal(): void {
    this.isCut = false;
    for (const link of [...this.links]) if (link.tainted) this.destroy(link);
  }

  stats(): ProxyStats {
    return { ...this.counters, openConnections: this.links.size, cut: this.isCut };
  }

  /** Stops listening and destroys every connection; resolves once the server has closed. Safe to call twice. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const link of [...this.links]) this.destroy(link);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.closed) {
      client.destroy();
      return;
    }
    this.counters.acceptedConnections += 1;
    client.setNoDelay(true);
    const link: Link = { client, upstream: null, tainted: this.isCut };
    this.links.add(link);
    client.on('error', () => this.destroy(link));
    client.on('close', () => this.destroy(link));
    if (this.isCut) {
      client.on('data', (chunk: Buffer) => (this.counters.droppedBytes += chunk.length));
      return;
    }
    const upstream = net.connect({ host: this.targetHost, port: this.targetPort, noDelay: true });
    link.upstream = upstream;
    upstream.on('error', () => this.destroy(link));
    upstream.on('close', () => this.destroy(link));
    this.pipe(link, client, upstream, 'bytesToTarget');
    this.pipe(link, upstream, client, 'bytesFromTarget');
  }

  /** Forwards `from` to `to` unless cut; an end of stream is passed on as a half-close. */
  private pipe(link: Link, from: net.Socket, to: net.Socket, counter: 'bytesToTarget' | 'bytesFromTarget'): void {
    from.on('data', (chunk: Buffer) => {
      if (this.isCut || link.tainted) {
        this.counters.droppedBytes += chunk.length;
        return;
      }
      this.counters[counter] += chunk.length;
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    });
    from.on('end', () => {
      if (!this.isCut && !link.tainted) to.end();
    });
  }

  private destroy(link: Link): void {
    if (!this.links.delete(link)) return;
    link.client.destroy();
    link.upstream?.destroy();
  }
}
