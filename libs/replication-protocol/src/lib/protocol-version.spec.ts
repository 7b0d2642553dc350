import { checkProtocolVersion, PROTOCOL_VERSION } from './protocol-version';

describe('checkProtocolVersion', () => {
  it('accepts a peer of the same version', () => {
    expect(checkProtocolVersion(PROTOCOL_VERSION, PROTOCOL_VERSION, 'leader')).toEqual({
      ok: true,
      version: PROTOCOL_VERSION,
    });
  });

  it.each([
    {
      name: 'an older peer',
      theirs: 1,
      message: /the follower speaks replication protocol version 1; this node speaks 2/,
    },
    { name: 'a newer peer', theirs: 3, message: /version 3; this node speaks 2/ },
    {
      name: 'a peer that sent no version (a release before versions)',
      theirs: undefined,
      message: /version 1 \(it sent no version\)/,
    },
    {
      name: 'a version that is not a number',
      theirs: '2',
      message: /announced protocol version "2", which is not a version/,
    },
    { name: 'a version of zero', theirs: 0, message: /which is not a version/ },
  ])('refuses $name with one clear message', ({ theirs, message }) => {
    const check = checkProtocolVersion(2, theirs, 'follower');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.code).toBe('protocol_version_mismatch');
    expect(check.message).toMatch(message);
  });

  it('names the peer by its role, so each side says who is out of step', () => {
    const check = checkProtocolVersion(2, 1, 'leader');
    expect(!check.ok && check.message).toMatch(/^the leader speaks/);
  });
});
