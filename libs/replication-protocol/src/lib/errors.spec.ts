import { ApiError, ERROR_CATALOGUE, isApiError, type ErrorCode } from './errors';

describe('ApiError', () => {
  const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

  // The definiteness a client sees comes from the catalogue, never from the call site.
  test.each(codes)('%s takes its definite from the catalogue', (code) => {
    const error = new ApiError(code, 'msg');
    expect(error.definite).toBe(ERROR_CATALOGUE[code].definite);
    expect(error.code).toBe(code);
    expect(error).toBeInstanceOf(Error);
    expect(isApiError(error)).toBe(true);
  });

  const expected: Array<{ code: ErrorCode; definite: boolean }> = [
    // Bad input is refused before anything is written: definitely not applied.
    { code: 'invalid_key', definite: true },
    { code: 'invalid_value', definite: true },
    { code: 'invalid_quorum', definite: true },
    { code: 'unauthorized', definite: true },
    { code: 'payload_too_large', definite: true },
    // Refused at admission, before the write got an LSN.
    { code: 'overloaded', definite: true },
    { code: 'too_many_bodies', definite: true },
    // A body that stopped arriving was never parsed, let alone written.
    { code: 'request_timeout', definite: true },
    { code: 'invalid_utf8', definite: true },
    // Refused before the write got an LSN: the store holds no part of it.
    { code: 'store_full', definite: true },
    // The write is on the leader and maybe on some followers: the client must not assume it is lost.
    { code: 'quorum_unreachable', definite: false },
    { code: 'quorum_timeout', definite: false },
    // An unexpected failure may have happened after the write was applied.
    { code: 'internal', definite: false },
    // The leader's disk refused the entry after it got its LSN: in memory, maybe replicated.
    { code: 'disk_full', definite: false },
    { code: 'storage_failed', definite: false },
  ];
  test.each(expected)('$code is definite=$definite', ({ code, definite }) => {
    expect(new ApiError(code, 'msg').definite).toBe(definite);
  });

  it('puts code, message, definite and details in the body', () => {
    // The timeout body must name the lsn, the acks received and the w asked (DESIGN 3).
    const error = new ApiError('quorum_timeout', 'only 2 of 3 acks', { lsn: 17, acks: 2, w: 3 });
    expect(error.toBody()).toEqual({
      error: 'quorum_timeout',
      message: 'only 2 of 3 acks',
      definite: false,
      lsn: 17,
      acks: 2,
      w: 3,
    });
    expect(error.message).toBe('only 2 of 3 acks');
  });

  it('tells ApiError apart from other errors', () => {
    // The error middleware turns only ApiErrors into their status; anything else is a 500.
    expect(isApiError(new Error('x'))).toBe(false);
    expect(isApiError({ code: 'invalid_key', definite: true })).toBe(false);
    expect(isApiError(undefined)).toBe(false);
  });
});
