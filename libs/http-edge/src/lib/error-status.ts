/**
 * The HTTP status of every error code: the core names what went wrong (`code`, `definite`),
 * the edge says how HTTP spells it.
 */
import type { ApiError, ErrorCode } from '@quorum-kv/replication-protocol';

export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_key: 400,
  invalid_value: 400,
  invalid_quorum: 400,
  invalid_request: 400,
  invalid_utf8: 400,
  unauthorized: 401,
  not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  payload_too_large: 413,
  unsupported_media_type: 415,
  overloaded: 429,
  too_many_bodies: 429,
  debug_disabled: 404,
  stale_epoch: 409,
  protocol_version_mismatch: 409,
  log_mismatch: 409,
  cluster_mismatch: 409,
  snapshot_interrupted: 409,
  snapshot_too_large: 507,
  recovering: 503,
  fenced: 503,
  internal: 500,
  superseded: 503,
  quorum_unreachable: 503,
  quorum_timeout: 504,
  store_full: 507,
  disk_full: 507,
  storage_failed: 503,
} as const satisfies Record<ErrorCode, number>;

export function statusOf(error: ApiError): number {
  return ERROR_STATUS[error.code];
}
