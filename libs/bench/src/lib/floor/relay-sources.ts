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
