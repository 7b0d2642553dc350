/**
 * The one catalogue of errors a client can see. Each code has a fixed HTTP status and says
 * whether the failure is definite (the write was certainly not applied anywhere) or
 * indefinite (it may be on some followers, and it stays on the leader): a client that gets an
 * indefinite error must not assume the write is lost, as with Jepsen's `info` outcome.
 */
export const ERROR_CATALOGUE = {
  invalid_json: { status: 400, definite: true },
  invalid_key: { status: 400, definite: true },
  invalid_value: { status: 400, definite: true },
  invalid_quorum: { status: 400, definite: true },
  invalid_request: { status: 400, definite: true },
  invalid_utf8: { status: 400, definite: true },
  unauthorized: { status: 401, definite: true },
  not_found: { status: 404, definite: true },
  route_not_found: { status: 404, definite: true },
  method_not_allowed: { status: 405, definite: true },
  request_timeout: { status: 408, definite: true },
  payload_too_large: { status: 413, definite: true },
  unsupported_media_type: { status: 415, definite: true },
  too_many_writes: { status: 429, definite: true },
  too_many_bodies: { status: 429, definite: true },
  debug_disabled: { status: 404, definite: true },
  internal: { status: 500, definite: false },
  quorum_unreachable: { status: 503, definite: false },
  quorum_timeout: { status: 504, definite: false },
  store_full: { status: 507, definite: true },
} as const satisfies Record<string, { status: number; definite: boolean }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** What every error body looks like on the wire: `{error, message, ...details}`. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  definite: boolean;
  [detail: string]: unknown;
}

/** The one error class: carries its code, and from the catalogue its status. */
export class ApiError extends Error {
  readonly status: number;
  readonly definite: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_CATALOGUE[code].status;
    this.definite = ERROR_CATALOGUE[code].definite;
  }

  toBody(): ErrorBody {
    return { ...this.details, error: this.code, message: this.message, definite: this.definite };
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
