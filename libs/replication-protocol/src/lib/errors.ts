/**
 * The one catalogue of errors a client can see. Each code says whether the failure is definite
 * (the write was certainly not applied anywhere) or indefinite (it may be on some followers, and
 * it stays on the leader): a client that gets an indefinite error must not assume the write is
 * lost, as with Jepsen's `info` outcome. The HTTP status of each code lives at the edge
 * (`@quorum-kv/http-edge`'s ERROR_STATUS).
 */
export const ERROR_CATALOGUE = {
  invalid_json: { definite: true },
  invalid_key: { definite: true },
  invalid_value: { definite: true },
  invalid_quorum: { definite: true },
  invalid_request: { definite: true },
  invalid_utf8: { definite: true },
  unauthorized: { definite: true },
  not_found: { definite: true },
  route_not_found: { definite: true },
  method_not_allowed: { definite: true },
  request_timeout: { definite: true },
  payload_too_large: { definite: true },
  unsupported_media_type: { definite: true },
  overloaded: { definite: true },
  too_many_bodies: { definite: true },
  store_full: { definite: true },
  debug_disabled: { definite: true },
  stale_epoch: { definite: true },
  protocol_version_mismatch: { definite: true },
  log_mismatch: { definite: true },
  cluster_mismatch: { definite: true },
  snapshot_interrupted: { definite: true },
  snapshot_too_large: { definite: true },
  recovering: { definite: true },
  fenced: { definite: true },
  internal: { definite: false },
  /**
   * The leader's DATA_DIR is full: the write has its LSN and is in the leader's memory, not on
   * its disk; it replicates like a timed-out write and survives a leader restart only through
   * the followers that got it. Nothing acknowledged before is touched.
   */
  disk_full: { definite: false },
  /** The leader's log refused the write for another reason (queue full, closing, failed): as disk_full. */
  storage_failed: { definite: false },
  superseded: { definite: false },
  quorum_unreachable: { definite: false },
  quorum_timeout: { definite: false },
} as const satisfies Record<string, { definite: boolean }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** What every error body looks like on the wire: `{error, message, ...details}`. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  definite: boolean;
  [detail: string]: unknown;
}

/** The one error class: carries its code, and from the catalogue whether it is definite. */
export class ApiError extends Error {
  readonly definite: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.definite = ERROR_CATALOGUE[code].definite;
  }

  toBody(): ErrorBody {
    return { ...this.details, error: this.code, message: this.message, definite: this.definite };
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
