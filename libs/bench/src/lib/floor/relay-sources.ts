/**
 * The floor's two programs, plain node:http with no framework, no validation and no log: what
 * any leader-and-followers relay over HTTP + JSON pays on this machine, at least. They run as
 * `node -e` child processes, one per node, as the store's nodes do.
 *
 * The leader relay answers `PUT /kv/:key?w=W` once W followers answered its `POST /replicate`.
 * The bench draws every write's delays (the store's delay models, same seed) and sends them in
 * the `x-delays` header, so the relay needs no library and injects exactly the delays the
 * store would; it times them as the store does (a coarse timer, then `setImmediate` turns to
 * the deadline on the high-resolution clock), so timer precision is not part of the gap.
 */

export const FOLLOWER_RELAY_SOURCE = `
const http = require('node:http');
const store = new Map();
const server = http.createServer({ keepAliveTimeout: 65000, noDelay: true }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const entry = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    store.set(entry.key, entry.value);
    const out = JSON.stringify({ lsn: entry.lsn });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port: server.address().port })));
process.on('SIGTERM', () => process.exit(0));
`;

export const LEADER_RELAY_SOURCE = `
const http = require('node:http');
const { performance } = require('node:perf_hooks');
const followers = process.env.FOLLOWERS.split(',').map((url) => new URL('/replicate', url));
const agents = followers.map(() => new http.Agent({ keepAlive: true, maxSockets: 1024, noDelay: true }));
const SPIN_WINDOW_MS = 1.5;
function preciseDelay(callback, delayMs) {
  const deadline = performance.now() + delayMs;
  const spin = () => (performance.now() >= deadline ? callback() : setImmediate(spin));
  if (delayMs > SPIN_WINDOW_MS) setTimeout(spin, delayMs - SPIN_WINDOW_MS);
  else spin();
}
function replicate(i, body, done) {
  const req = http.request(followers[i], {
    method: 'POST',
    agent: agents[i],
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  }, (res) => {
    res.resume();
    res.on('end', () => done(res.statusCode === 200));
  });
  req.on('error', () => done(false));
  req.end(body);
}
let lsn = 0;
const server = http.createServer({ keepAliveTimeout: 65000, noDelay: true }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const q = req.url.indexOf('?');
    const params = new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1));
    const w = Number(params.get('w') || 1);
    const delays = String(req.headers['x-delays'] || '').split(',').map(Number);
    const key = decodeURIComponent(req.url.slice(4, q < 0 ? undefined : q));
    const entry = JSON.stringify({ lsn: ++lsn, key, value: JSON.parse(Buffer.concat(chunks).toString('utf8')).value });
    const mine = lsn;
    let acks = 0;
    const onAck = (ok) => {
      if (!ok || ++acks !== w) return;
      const out = JSON.stringify({ key, lsn: mine, w, acks });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    };
    followers.forEach((_, i) => {
      const delayMs = delays[i] || 0;
      if (delayMs > 0) preciseDelay(() => replicate(i, entry, onAck), delayMs);
      else replicate(i, entry, onAck);
    });
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port: server.address().port })));
process.on('SIGTERM', () => process.exit(0));
`;

/**
 * The stream relay: the store's replication design at its barest, for the throughput run at
 * zero delay. Each follower relay takes one long-lived chunked `POST /stream` from the leader,
 * reads newline-delimited JSON messages (`{"entries":[...]}`), keeps each entry in a Map and
 * answers every read with one cumulative ack line (`{"upTo":lsn}`). The leader relay writes
 * the entries of one event-loop turn as one line to every follower and answers a PUT once W
 * followers acked its LSN. No framework, no validation, no window, no timeout, no metrics:
 * what the store's batching costs at least in Node on this machine.
 */
/**
 * Both stream relays read newline-delimited JSON the same way: `onMessages(stream, handle)`
 * calls `handle` once per read with the messages it completed (none when it ended mid-line).
 * A line over 64 MiB ends the process with one line (nothing here builds an unbounded string).
 */
const NDJSON_READER = `
function onMessages(stream, handle) {
  stream.setEncoding('utf8');
  let pending = '';
  stream.on('data', (text) => {
    pending += text;
    const messages = [];
    for (let nl = pending.indexOf('\\n'); nl >= 0; nl = pending.indexOf('\\n')) {
      messages.push(JSON.parse(pending.slice(0, nl)));
      pending = pending.slice(nl + 1);
    }
    if (pending.length > 64 * 1024 * 1024) {
      console.error('a stream line over 64 MiB');
      process.exit(1);
    }
    if (messages.length > 0) handle(messages);
  });
}
`;

export const STREAM_FOLLOWER_RELAY_SOURCE = `
const http = require('node:http');
const store = new Map();
${NDJSON_READER}
const server = http.createServer({ keepAliveTimeout: 65000, noDelay: true }, (req, res) => {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  res.flushHeaders();
  onMessages(req, (messages) => {
    let upTo = 0;
    for (const { entries } of messages) {
      for (const entry of entries) store.set(entry.key, entry.value);
      upTo = entries[entries.length - 1].lsn;
    }
    res.write(JSON.stringify({ upTo }) + '\\n');
  });
  req.on('end', () => res.end());
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port: server.address().port })));
process.on('SIGTERM', () => process.exit(0));
`;

export const STREAM_LEADER_RELAY_SOURCE = `
const http = require('node:http');
const followers = process.env.FOLLOWERS.split(',').map((url) => new URL('/stream', url));
const store = new Map();
let lsn = 0;
${NDJSON_READER}
// Writes waiting for acks, in LSN order: waiting[i] has LSN firstLsn + i. One leaves the
// front once every follower acked it.
let waiting = [];
let firstLsn = 1;
const ackedUpTo = followers.map(() => 0);
const streams = followers.map((url, follower) => {
  const req = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/x-ndjson' } });
  req.setNoDelay(true);
  req.on('error', (err) => {
    console.error('the stream to follower ' + (follower + 1) + ' failed: ' + err.message);
    process.exit(1);
  });
  req.flushHeaders();
  req.on('response', (res) => onMessages(res, (acks) => acked(follower, acks[acks.length - 1].upTo)));
  return req;
});
function acked(follower, upTo) {
  for (let l = ackedUpTo[follower] + 1; l <= upTo; l++) {
    const write = waiting[l - firstLsn];
    if (++write.acks !== write.w) continue;
    const out = JSON.stringify({ key: write.key, lsn: l, w: write.w, acks: write.acks });
    write.res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    write.res.end(out);
    write.res = null;
  }
  ackedUpTo[follower] = upTo;
  const everyone = Math.min(...ackedUpTo);
  if (everyone - firstLsn + 1 >= 1024) {
    waiting = waiting.slice(everyone - firstLsn + 1);
    firstLsn = everyone + 1;
  }
}
let turn = [];
function flush() {
  const line = JSON.stringify({ entries: turn }) + '\\n';
  turn = [];
  for (const stream of streams) stream.write(line);
}
const server = http.createServer({ keepAliveTimeout: 65000, noDelay: true }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const q = req.url.indexOf('?');
    const w = Number(new URLSearchParams(q < 0 ? '' : req.url.slice(q + 1)).get('w') || 1);
    const key = decodeURIComponent(req.url.slice(4, q < 0 ? undefined : q));
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')).value;
    store.set(key, value);
    waiting.push({ w, acks: 0, key, res });
    if (turn.length === 0) setImmediate(flush);
    turn.push({ lsn: ++lsn, key, value });
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port: server.address().port })));
process.on('SIGTERM', () => process.exit(0));
`;
