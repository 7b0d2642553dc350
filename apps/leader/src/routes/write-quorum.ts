/** The write quorum of a client request: HTTP spelling (`?w=`, `X-Write-Quorum`), so it lives in the app. */
import { ApiError } from '@quorum-kv/replication-protocol';

/**
 * The write quorum of one request, from `?w=` or the `X-Write-Quorum` header, else the default.
 * Both given and different, or anything but one integer in 1..followerCount: `invalid_quorum`.
 */
export function parseQuorum(query: unknown, header: unknown, defaultW: number, followerCount: number): number {
  if (query === undefined && header === undefined) return defaultW;
  const fromQuery = query === undefined ? undefined : parseOneQuorum(query, followerCount);
  const fromHeader = header === undefined ? undefined : parseOneQuorum(header, followerCount);
  if (fromQuery !== undefined && fromHeader !== undefined && fromQuery !== fromHeader) {
    throw new ApiError('invalid_quorum', `?w=${fromQuery} and X-Write-Quorum: ${fromHeader} disagree`);
  }
  return (fromQuery ?? fromHeader) as number;
}

function parseOneQuorum(raw: unknown, followerCount: number): number {
  const text = Array.isArray(raw) ? (raw.length === 1 ? raw[0] : undefined) : raw;
  const w = typeof text === 'string' && /^[0-9]{1,3}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(w) || w < 1 || w > followerCount) {
    throw new ApiError('invalid_quorum', `w must be one integer from 1 to ${followerCount}`, {
      followerCount,
    });
  }
  return w;
}
