/** A replication RPC that failed without a definite answer (timeout, reset, bad or error answer): the follower may only be busy. */
export class ReplicationRpcError extends Error {
  override name = 'ReplicationRpcError';
}
