// The HTTP checks of tools/docker/compose-check.sh and swarm-check.sh, in node (always there,
// unlike jq): node tools/docker/cluster-check.cjs <check> <base URL> <args...>. Prints one line;
// exit status 1 with the reason when the check fails.
const [command, base, ...args] = process.argv.slice(2);
const get = async (path) => {
  const res = await fetch(base + path, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.json().catch(() => null) };
};
const fail = (why) => {
  console.log(why);
  process.exit(1);
};
// Node ends a process whose event loop is empty even while a promise is pending, which a
// connection to a published port with no listener yet can cause: then it would exit 0 having
// checked nothing. This timer keeps the loop alive, and every path ends with an explicit exit.
const guard = setTimeout(() => fail('no answer within 20 s'), 20000);
(async () => {
  if (command === 'health') {
    // Serving: 200 with status "ok" (503 "recovering" while it rebuilds its log), and, when
    // given, an epoch at least minEpoch (a leader that started again after a kill).
    const minEpoch = args.length > 0 ? Number(args[0]) : 0;
    const { status, body } = await get('/health');
    if (status !== 200 || !body || body.ok !== true || body.status !== 'ok')
      fail(`answered ${status}: ${JSON.stringify(body)}`);
    if (!(body.epoch >= minEpoch)) fail(`serving at epoch ${body.epoch}, waiting for epoch >= ${minEpoch}`);
    console.log(
      `role ${body.role}, status ${body.status}, epoch ${body.epoch}, lsn ${body.lsn}, ${body.followers} followers`,
    );
  } else if (command === 'epoch') {
    const { status, body } = await get('/health');
    if (status !== 200 || !body || typeof body.epoch !== 'number') fail(`answered ${status}: ${JSON.stringify(body)}`);
    console.log(String(body.epoch));
  } else if (command === 'write') {
    const w = Number(args[0]);
    const res = await fetch(`${base}/kv/compose-k${w}?w=${w}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: { w } }),
      signal: AbortSignal.timeout(10000),
    });
    const body = await res.json().catch(() => null);
    if (res.status !== 200 || !body || body.w !== w || !(body.acks >= w))
      fail(`answered ${res.status}: ${JSON.stringify(body)}`);
    console.log(`200, lsn ${body.lsn}, acks ${body.acks}`);
  } else if (command === 'caught-up') {
    const [count, minLsn] = args.map(Number);
    const { status, body } = await get('/status');
    const rows = (body && body.followers) || [];
    const summary = rows
      .map((f, i) => `follower${i + 1} acked ${f.ackedLsn} lag ${f.lagEntries} ${f.state}`)
      .join(', ');
    const ok =
      status === 200 &&
      body.lsn >= minLsn &&
      rows.length === count &&
      rows.every((f) => f.lagEntries === 0 && f.ackedLsn === body.lsn);
    if (!ok) fail(`lsn ${body && body.lsn}: ${summary || JSON.stringify(body)}`);
    console.log(`lsn ${body.lsn}: ${summary}`);
  } else if (command === 'read') {
    const w = Number(args[0]);
    const { status, body } = await get(`/kv/compose-k${w}`);
    if (status !== 200 || !body || JSON.stringify(body.value) !== JSON.stringify({ w }))
      fail(`answered ${status}: ${JSON.stringify(body)}`);
    console.log(`value ${JSON.stringify(body.value)} at lsn ${body.lsn}`);
  } else if (command === 'same-store') {
    // A follower, read on its own published port, holds exactly what the leader holds.
    const [followerUrl] = args;
    const leader = await get('/debug/store');
    const res = await fetch(followerUrl + '/debug/store', { signal: AbortSignal.timeout(5000) });
    const follower = await res.json().catch(() => null);
    if (leader.status !== 200 || res.status !== 200) fail(`answered ${leader.status} and ${res.status}`);
    if (JSON.stringify(follower.store) !== JSON.stringify(leader.body.store) || follower.lsn !== leader.body.lsn)
      fail(
        `lsn ${follower.lsn} vs the leader ${leader.body.lsn}, ${Object.keys(follower.store).length} keys vs ${Object.keys(leader.body.store).length}`,
      );
    console.log(`lsn ${follower.lsn}, ${Object.keys(follower.store).length} keys, same as the leader`);
  } else if (command === 'store-digest') {
    // A node's store in one line: its LSN, key count and a digest of the store, to compare a
    // node with itself (before and after its container was recreated on its volume).
    const { status, body } = await get('/debug/store');
    if (status !== 200 || !body || typeof body.lsn !== 'number') fail(`answered ${status}: ${JSON.stringify(body)}`);
    const digest = require('node:crypto').createHash('sha256').update(JSON.stringify(body.store)).digest('hex');
    console.log(`lsn ${body.lsn}, ${Object.keys(body.store).length} keys, sha256 ${digest.slice(0, 16)}`);
  } else if (command === 'targets') {
    // Prometheus sees every quorum-kv node up, and has loaded the alert rules.
    const [count] = args.map(Number);
    const { body } = await get('/api/v1/targets?state=active');
    const ours = ((body && body.data && body.data.activeTargets) || []).filter((t) => /^quorumkv-/.test(t.labels.job));
    const summary = ours
      .map((t) => `${t.labels.instance} ${t.health}${t.lastError ? ' (' + t.lastError + ')' : ''}`)
      .join(', ');
    if (ours.length !== count || !ours.every((t) => t.health === 'up')) fail(`${summary || 'no targets'}`);
    const rules = await get('/api/v1/rules');
    const groups = ((rules.body && rules.body.data && rules.body.data.groups) || []).map((g) => g.name);
    if (!groups.includes('quorumkv-alerts') || !groups.includes('quorumkv-recording'))
      fail(`rule groups loaded: ${groups.join(', ') || 'none'}`);
    console.log(
      `${ours.length} targets up (${ours.map((t) => t.labels.instance).join(', ')}); rule groups ${groups.join(', ')}`,
    );
  } else {
    fail(`unknown check ${command}`);
  }
})().then(
  () => {
    clearTimeout(guard);
    process.exit(0);
  },
  (err) => fail(String(err && err.cause ? err.cause.code || err.cause.message : err)),
);
