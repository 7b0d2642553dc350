import { expectConfigError, thrownBy } from '@quorum-kv/http-edge/testing';
import { loadLeaderConfig } from './config';

const REQUIRED = { FOLLOWERS: 'http://f1:8080,http://f2:8080,http://f3:8080', CLUSTER_TOKEN: 'cluster-secret-token' };

describe('loadLeaderConfig', () => {
  it('fills the defaults and freezes the result', () => {
    const config = loadLeaderConfig(REQUIRED);
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: '0.0.0.0',
      LEADER_ID: 'leader',
      FOLLOWERS: ['http://f1:8080', 'http://f2:8080', 'http://f3:8080'],
      WRITE_QUORUM: 1,
      DELAY: 'uniform:0:1000',
      REPLICATION_TIMEOUT_MS: 2000,
      ACK_MODE: 'received',
      SEED: 1,
      ENABLE_DEBUG: false,
      LOG_LEVEL: 'info',
      MAX_BODY_BYTES: 1024 * 1024,
      FAIL_FAST_AFTER_FAILURES: 3,
      MAX_IN_FLIGHT_MESSAGES: 4,
      BATCH_TRANSPORT: 'stream',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes BATCH_TRANSPORT requests or stream, and refuses anything else naming it', () => {
    expect(loadLeaderConfig({ ...REQUIRED, BATCH_TRANSPORT: 'requests' }).BATCH_TRANSPORT).toBe('requests');
    expect(thrownBy(() => loadLeaderConfig({ ...REQUIRED, BATCH_TRANSPORT: 'http2' })).message).toMatch(
      /BATCH_TRANSPORT/,
    );
  });

  it('refuses a FAIL_FAST_AFTER_FAILURES below 1, naming it', () => {
    expect(loadLeaderConfig({ ...REQUIRED, FAIL_FAST_AFTER_FAILURES: '5' }).FAIL_FAST_AFTER_FAILURES).toBe(5);
    expect(thrownBy(() => loadLeaderConfig({ ...REQUIRED, FAIL_FAST_AFTER_FAILURES: '0' })).message).toMatch(
      /FAIL_FAST_AFTER_FAILURES/,
    );
  });

  it('reads every value from strings, and treats empty strings as unset', () => {
    const config = loadLeaderConfig({
      ...REQUIRED,
      FOLLOWERS: ' http://a:1 , http://b:2 ,',
      PORT: '0',
      WRITE_QUORUM: '2',
      DELAY: 'uniform:0:50;2=constant:900',
      REPLICATION_TIMEOUT_MS: '250',
      ACK_MODE: 'applied',
      ENABLE_DEBUG: 'yes',
      SEED: '',
      LOG_LEVEL: undefined,
    });
    expect(config).toMatchObject({
      FOLLOWERS: ['http://a:1', 'http://b:2'],
      PORT: 0,
      WRITE_QUORUM: 2,
      REPLICATION_TIMEOUT_MS: 250,
      ACK_MODE: 'applied',
      ENABLE_DEBUG: true,
      SEED: 1,
      LOG_LEVEL: 'info',
    });
  });

  // Each case: one bad variable; the start must stop with one line that names it and says why.
  const tests: Array<{ name: string; env: Record<string, string | undefined>; says: RegExp }> = [
    { name: 'PORT not a number', env: { PORT: 'http' }, says: /./ },
    { name: 'PORT out of range', env: { PORT: '70000' }, says: /0\.\.65535/ },
    { name: 'PORT not an integer', env: { PORT: '80.5' }, says: /integer/ },
    { name: 'FOLLOWERS missing', env: { FOLLOWERS: undefined }, says: /required/ },
    { name: 'FOLLOWERS only commas', env: { FOLLOWERS: ' , ,' }, says: /at least one follower/ },
    { name: 'FOLLOWERS not URLs', env: { FOLLOWERS: 'f1:8080' }, says: /http\(s\) URLs/ },
    { name: 'FOLLOWERS with another scheme', env: { FOLLOWERS: 'ftp://f1' }, says: /http\(s\) URLs/ },
    { name: 'CLUSTER_TOKEN missing', env: { CLUSTER_TOKEN: undefined }, says: /required/ },
    { name: 'CLUSTER_TOKEN empty', env: { CLUSTER_TOKEN: '' }, says: /required/ },
    { name: 'CLUSTER_TOKEN too short', env: { CLUSTER_TOKEN: 'abc' }, says: /at least 8/ },
    {
      name: 'WRITE_QUORUM above the followers',
      env: { WRITE_QUORUM: '4' },
      says: /at most the number of FOLLOWERS \(3\)/,
    },
    { name: 'WRITE_QUORUM zero', env: { WRITE_QUORUM: '0' }, says: /at least 1/ },
    {
      name: 'RECOVERY_QUORUM above the followers',
      env: { RECOVERY_QUORUM: '4' },
      says: /at most the number of FOLLOWERS \(3\)/,
    },
    { name: 'RECOVERY_QUORUM zero', env: { RECOVERY_QUORUM: '0' }, says: /at least 1/ },
    { name: 'RECOVERY_QUORUM not an integer', env: { RECOVERY_QUORUM: 'most' }, says: /./ },
    { name: 'DELAY unknown model', env: { DELAY: 'gaussian:5' }, says: /unknown delay model/ },
    { name: 'DELAY missing a number', env: { DELAY: 'uniform:5' }, says: /needs 2/ },
    { name: 'DELAY min above max', env: { DELAY: 'uniform:9:1' }, says: /MIN must not exceed MAX/ },
    {
      name: 'DELAY override for a follower that does not exist',
      env: { DELAY: 'constant:1;4=constant:9' },
      says: /FOLLOWER from 1 to 3/,
    },
    { name: 'ACK_MODE unknown', env: { ACK_MODE: 'fsync' }, says: /./ },
    { name: 'ENABLE_DEBUG not a boolean', env: { ENABLE_DEBUG: 'maybe' }, says: /true or false/ },
    { name: 'REPLICATION_TIMEOUT_MS zero', env: { REPLICATION_TIMEOUT_MS: '0' }, says: /at least 1/ },
    { name: 'MAX_BODY_BYTES too small', env: { MAX_BODY_BYTES: '10' }, says: /at least 64/ },
    { name: 'LOG_LEVEL unknown', env: { LOG_LEVEL: 'loud' }, says: /./ },
  ];

  test.each(tests)('$name', ({ env, says }) => {
    expectConfigError(() => loadLeaderConfig({ ...REQUIRED, ...env }), env, says);
  });

  it('names every bad variable in the one line', () => {
    expect(() => loadLeaderConfig({ FOLLOWERS: 'http://f1', PORT: '-1' })).toThrow(
      /PORT: .*; CLUSTER_TOKEN|CLUSTER_TOKEN: .*; PORT/,
    );
  });
});
