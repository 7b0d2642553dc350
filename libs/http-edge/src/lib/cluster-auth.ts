/**
 * The cluster token guard for the replication endpoint (the only one that changes a node's
 * state from inside the cluster). Read-only endpoints (/kv reads, /status, /metrics, and
 * /debug/store when ENABLE_DEBUG=true) need no token. Tokens are compared in constant time
 * (as digests, so their lengths leak nothing either).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from '@quorum-kv/replication-protocol';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export function requireClusterToken(expectedToken: string): RequestHandler {
  // The expected token's digest is made once, not on every replication request.
  const expectedDigest = digest(expectedToken);
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match || !timingSafeEqual(digest(match[1] as string), expectedDigest)) {
      return next(new ApiError('unauthorized', 'a valid cluster token is required (Authorization: Bearer ...)'));
    }
    next();
  };
}

/**
 * The cluster id a node uses when CLUSTER_ID is unset: derived from the cluster token, so nodes
 * sharing a token form one cluster (and the id reveals nothing of the token).
 */
export function clusterIdFromToken(token: string): string {
  return `c-${createHash('sha256').update(`quorum-kv cluster id\n${token}`).digest('hex').slice(0, 16)}`;
}
