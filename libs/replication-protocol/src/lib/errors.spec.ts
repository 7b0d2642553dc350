import { ApiError, ERROR_CATALOGUE, isApiError, type ErrorCode } from './errors';

describe('ApiError', () => {
  const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

  // The status and definiteness a client sees come from the catalogue, never from the call site.
  test.each(codes)('%s takes its status and definite from the catalogue', (code) => {
    const error = new ApiError(code, 'msg');
    expect(error.status).toBe(ERROR_CATALOGUE[code].status);
    expect(error.definite).toBe(ERROR_CATALOGUE[code].definite);
    expect(error.code).toBe(code);
    expect(error).toBeInstanceOf(Error);
    expect(isApiError(error)).toBe(true);
  });

  const expected: Array<{ code: ErrorCode; status: number; definite: boolean }> = [
    // Bad input is refused before anything is written: definitely not applied.
    { code: 'invalid_key', status: 400, definite: true },
    { code: 'invalid_value', status: 400, definite: true },
    { code: 'invalid_quorum', status: 400, definite: true },
    { code: 'unauthorized', status: 401, definite: true },
    { code: 'payload_too_large', status: 413, definite: true },
    // Refused at admission, before the write got an LSN.
    { code: 'too_many_writes', status: 429, definite: true },
    { code: 'too_many_bodies', status: 429, definite: true },
    // A body that stopped arriving was never parsed, let alone written.
    { code: 'request_timeout', status: 408, definite: true },
    { code: 'invalid_utf8', status: 400, definite: true },
    // Refused before the write got an LSN: the store holds no part of it.
    { code: 'store_full', status: 507, definite: true },
    // The write is on the leader and maybe on some followers: the client must not assume it is lost.
    { code: 'quorum_unreachable', status: 503, definite: false },
    { code: 'quorum_timeout', status: 504, definite: false },
    // An unexpected failure may have happened after the write was applied.
    { code: 'internal', status: 500, definite: false },
  ];
  test.each(expected)('$code is $status, definite=$definite', ({ code, status, definite }) => {
    const error = new ApiError(code, 'msg');
    expect({ status: error.status, definite: error.definite }).toEqual({ status, definite });
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
    expect(isApiError({ code: 'invalid_key', status: 400 })).toBe(false);
    expect(isApiError(undefined)).toBe(false);
  });
});
