import { ConfigError } from '@quorum-kv/http-edge';
import { loadLeaderConfig } from './config';

const REQUIRED = { FOLLOWERS: 'http://f1:8080,http://f2:8080,http://f3:8080', CLUSTER_TOKEN: 'cluster-secret-token' };

/** The error `run` throws; fails the test if it throws nothing. */
function thrownBy(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, got none');
}

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
  const tests: Array<{ name: string; env: Record<string, string | undefined>; variable: string; says: RegExp }> = [
    { name: 'PORT not a number', env: { PORT: 'http' }, variable: 'PORT', says: /./ },
    { name: 'PORT out of range', env: { PORT: '70000' }, variable: 'PORT', says: /0\.\.65535/ },
    { name: 'PORT not an integer', env: { PORT: '80.5' }, variable: 'PORT', says: /integer/ },
    { name: 'FOLLOWERS missing', env: { FOLLOWERS: undefined }, variable: 'FOLLOWERS', says: /required/ },
    { name: 'FOLLOWERS only commas', env: { FOLLOWERS: ' , ,' }, variable: 'FOLLOWERS', says: /at least one follower/ },
    { name: 'FOLLOWERS not URLs', env: { FOLLOWERS: 'f1:8080' }, variable: 'FOLLOWERS', says: /http\(s\) URLs/ },
    {
      name: 'FOLLOWERS with another scheme',
      env: { FOLLOWERS: 'ftp://f1' },
      variable: 'FOLLOWERS',
      says: /http\(s\) URLs/,
    },
    { name: 'CLUSTER_TOKEN missing', env: { CLUSTER_TOKEN: undefined }, variable: 'CLUSTER_TOKEN', says: /required/ },
    { name: 'CLUSTER_TOKEN empty', env: { CLUSTER_TOKEN: '' }, variable: 'CLUSTER_TOKEN', says: /required/ },
    { name: 'CLUSTER_TOKEN too short', env: { CLUSTER_TOKEN: 'abc' }, variable: 'CLUSTER_TOKEN', says: /at least 8/ },
    {
      name: 'WRITE_QUORUM above the followers',
      env: { WRITE_QUORUM: '4' },
      variable: 'WRITE_QUORUM',
      says: /at most the number of FOLLOWERS \(3\)/,
    },
    { name: 'WRITE_QUORUM zero', env: { WRITE_QUORUM: '0' }, variable: 'WRITE_QUORUM', says: /at least 1/ },
    {
      name: 'RECOVERY_QUORUM above the followers',
      env: { RECOVERY_QUORUM: '4' },
      variable: 'RECOVERY_QUORUM',
      says: /at most the number of FOLLOWERS \(3\)/,
    },
    { name: 'RECOVERY_QUORUM zero', env: { RECOVERY_QUORUM: '0' }, variable: 'RECOVERY_QUORUM', says: /at least 1/ },
    {
      name: 'RECOVERY_QUORUM not an integer',
      env: { RECOVERY_QUORUM: 'most' },
      variable: 'RECOVERY_QUORUM',
      says: /./,
    },
    { name: 'DELAY unknown model', env: { DELAY: 'gaussian:5' }, variable: 'DELAY', says: /unknown delay model/ },
    { name: 'DELAY missing a number', env: { DELAY: 'uniform:5' }, variable: 'DELAY', says: /needs 2/ },
    { name: 'DELAY min above max', env: { DELAY: 'uniform:9:1' }, variable: 'DELAY', says: /MIN must not exceed MAX/ },
    {
      name: 'DELAY override for a follower that does not exist',
      env: { DELAY: 'constant:1;4=constant:9' },
      variable: 'DELAY',
      says: /FOLLOWER from 1 to 3/,
    },
    { name: 'ACK_MODE unknown', env: { ACK_MODE: 'fsync' }, variable: 'ACK_MODE', says: /./ },
    {
      name: 'ENABLE_DEBUG not a boolean',
      env: { ENABLE_DEBUG: 'maybe' },
      variable: 'ENABLE_DEBUG',
      says: /true or false/,
    },
    {
      name: 'REPLICATION_TIMEOUT_MS zero',
      env: { REPLICATION_TIMEOUT_MS: '0' },
      variable: 'REPLICATION_TIMEOUT_MS',
      says: /at least 1/,
    },
    {
      name: 'MAX_BODY_BYTES too small',
      env: { MAX_BODY_BYTES: '10' },
      variable: 'MAX_BODY_BYTES',
      says: /at least 64/,
    },
    { name: 'LOG_LEVEL unknown', env: { LOG_LEVEL: 'loud' }, variable: 'LOG_LEVEL', says: /./ },
  ];

  test.each(tests)('$name', ({ env, variable, says }) => {
    const error = thrownBy(() => loadLeaderConfig({ ...REQUIRED, ...env }));
    expect(error).toBeInstanceOf(ConfigError);
    const message = error.message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(new RegExp(`^invalid configuration: .*\\b${variable}\\b`));
    expect(message).toMatch(says);
  });

  it('names every bad variable in the one line', () => {
    expect(() => loadLeaderConfig({ FOLLOWERS: 'http://f1', PORT: '-1' })).toThrow(
      /PORT: .*; CLUSTER_TOKEN|CLUSTER_TOKEN: .*; PORT/,
    );
  });
});
