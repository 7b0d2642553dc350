import net from 'node:net';
import { CuttableProxy } from './cuttable-proxy';

/** An echo server on loopback that remembers what it received and which sockets it holds. */
async function startEchoTarget() {
  const sockets = new Set<net.Socket>();
  let received = '';
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      socket.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    sockets,
    received: () => received,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A client through the proxy that collects what comes back and notes when it was closed. */
async function connect(port: number) {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let echoed = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (echoed += chunk.toString()));
  socket.on('error', () => undefined);
  const closing = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  return { socket, echoed: () => echoed, closed: () => closed, closing };
}

/** Waits (on events, not a clock) until `test` holds. */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => setImmediate(resolve));
}

describe('CuttableProxy', () => {
  let target: Awaited<ReturnType<typeof startEchoTarget>>;
  let proxy: CuttableProxy;

  beforeEach(async () => {
    target = await startEchoTarget();
    proxy = await CuttableProxy.start({ targetPort: target.port });
  });

  afterEach(async () => {
    await proxy.close();
    await target.close();
  });

  it('passes bytes both ways and counts them', async () => {
    const client = await connect(proxy.port);
    client.socket.write('hello');
    await until(() => client.echoed() === 'hello');
    expect(target.received()).toBe('hello');
    expect(proxy.stats()).toMatchObject({ bytesToTarget: 5, bytesFromTarget: 5, droppedBytes: 0, cut: false });
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
    client.socket.destroy();
  });

  it('drops what an open connection sends during a cut, and never delivers it after the heal', async () => {
    const client = await connect(proxy.port);
    client.socket.write('before');
    await until(() => client.echoed() === 'before');
    proxy.cut();
    client.socket.write('during');
    await until(() => proxy.stats().droppedBytes === 'during'.length);
    expect(target.received()).toBe('before');
    expect(client.closed()).toBe(false); // a partition is silence, not a reset
    expect(proxy.stats().cut).toBe(true);

    proxy.heal();
    await client.closing; // the stream has a hole: it is destroyed
    expect(target.received()).toBe('before');
    expect(client.echoed()).toBe('before');
  });

  it('drops what the target sends during a cut', async () => {
    const client = await connect(proxy.port);
    client.socket.write('x');
    await until(() => target.sockets.size === 1 && client.echoed() === 'x');
    proxy.cut();
    const [serverSide] = [...target.sockets];
    serverSide?.write('from-target');
    await until(() => proxy.stats().droppedBytes === 'from-target'.length);
    expect(client.echoed()).toBe('x');
    client.socket.destroy();
  });

  it('accepts a new connection during a cut but never reaches the target with it', async () => {
    proxy.cut();
    const client = await connect(proxy.port);
    client.socket.write('lost');
    await until(() => proxy.stats().droppedBytes === 4);
    expect(target.sockets.size).toBe(0);
    expect(target.received()).toBe('');
    expect(proxy.stats()).toMatchObject({ acceptedConnections: 1, openConnections: 1, bytesToTarget: 0 });
    proxy.heal();
    await client.closing;
  });

  it('passes bytes on a fresh connection once healed', async () => {
    proxy.cut();
    proxy.heal();
    const client = await connect(proxy.port);
    client.socket.write('again');
    await until(() => client.echoed() === 'again');
    expect(target.received()).toBe('again');
    client.socket.destroy();
  });

  it('leaves no socket open on either side after close', async () => {
    const clients = await Promise.all([connect(proxy.port), connect(proxy.port), connect(proxy.port)]);
    for (const c of clients) c.socket.write('.');
    await until(() => target.sockets.size === 3 && clients.every((c) => c.echoed() === '.'));
    proxy.cut();
    const stalled = await connect(proxy.port);
    await proxy.close();
    await Promise.all([...clients, stalled].map((c) => c.closing));
    await until(() => target.sockets.size === 0);
    expect(proxy.stats().openConnections).toBe(0);
    await expect(connect(proxy.port)).rejects.toThrow(/ECONNREFUSED/);
    await proxy.close(); // a second close is harmless
  });

  it('closes the client when the target cannot be reached', async () => {
    await target.close();
    const client = await connect(proxy.port);
    await client.closing;
    expect(proxy.stats().openConnections).toBe(0);
    target = await startEchoTarget(); // for afterEach
  });

  it('forwards a half-close from the client to the target', async () => {
    const client = await connect(proxy.port);
    client.socket.write('.');
    await until(() => client.echoed() === '.');
    const [serverSide] = [...target.sockets];
    const ended = new Promise<boolean>((resolve) => serverSide?.once('end', () => resolve(true)));
    client.socket.end();
    expect(await ended).toBe(true);
  });
});
