/**
 * The floor of the throughput run: a bare node:http server in a process of its own (like the
 * leader, so it gets a core of its own and its CPU can be read from /proc), answering the same
 * PUTs as the store: read the body, parse the JSON, keep the value in a Map, answer a small
 * JSON body with the next LSN. No framework, no validation, no replication: what any HTTP +
 * JSON store pays at least, on this machine, with this client.
 */
import { startInlineServer } from '../cluster/inline-server';
import { stopNode } from '../cluster/process-cluster';

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

export async function startFloorServer(nodeArgs: readonly string[] = []): Promise<FloorServer> {
  const { child, url } = startInlineServer('the floor server', FLOOR_SERVER_SOURCE, {}, nodeArgs);
  return { url: await url, pid: child.pid as number, stop: () => stopNode(child) };
}
