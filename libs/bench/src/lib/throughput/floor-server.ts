/**
 * The floor of the throughput run: a bare node:http server in a process of its own (like the
 * leader, so it gets a core of its own and its CPU can be read from /proc), answering the same
 * PUTs as the store: read the body, parse the JSON, keep the value in a Map, answer a small
 * JSON body with the next LSN. No framework, no validation, no replication: what any HTTP +
 * JSON store pays at least, on this machine, with this client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stopNode } from '../cluster/process-cluster';

const START_TIMEOUT_MS = 10_000;

export const FLOOR_SERVER_SOURCE = `
const http = require('node:http');
const store = new Map();
let lsn = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let answer;
    let status = 200;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const q = req.url.indexOf('?');
      const key = decodeURIComponent(req.url.slice(4, q < 0 ? undefined : q));
      store.set(key, body.value);
      answer = JSON.stringify({ key, lsn: ++lsn });
    } catch {
      status = 400;
      answer = '{"error":"invalid_json","message":"the body is not JSON"}';
    }
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port: server.address().port })));
process.on('SIGTERM', () => process.exit(0));
`;

export interface FloorServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export function startFloorServer(nodeArgs: readonly string[] = []): Promise<FloorServer> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '-e', FLOOR_SERVER_SOURCE], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the floor server did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the floor server exited with code ${code}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const { port } = JSON.parse(line) as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        pid: child.pid as number,
        stop: async () => {
          await stopNode(child);
          process.removeListener('exit', killOnExit);
        },
      });
    });
  });
}
