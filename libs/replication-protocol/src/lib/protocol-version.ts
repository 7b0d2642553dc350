/**
 * The replication protocol's version, exchanged when a leader and a follower connect, so a
 * node never misreads a peer of another format. Version 1 is the per-entry protocol (one
 * request per entry, an answer per request); version 2 carries entries by the batch with
 * cumulative acks (`follower-outbox.ts`, `cumulative-acks.ts`). A peer that names no version
 * speaks version 1. Both sides refuse a mismatch with the same clear message. Pure.
 */

export const PROTOCOL_VERSION = 2;
/** What a peer that sends no version speaks. */
export const UNVERSIONED_PROTOCOL = 1;

export type VersionCheck =
  | { ok: true; version: number }
  | { ok: false; code: 'protocol_version_mismatch'; message: string; ours: number; theirs: number | null };

/**
 * Whether `ours` can talk to a peer announcing `theirs` (`undefined`: the peer sent none). Only
 * equal versions talk: the protocol has no negotiation, and a half-understood batch is worse
 * than a refused connection. `role` names the peer in the message ("leader" or "follower").
 */
export function checkProtocolVersion(ours: number, theirs: unknown, role: 'leader' | 'follower'): VersionCheck {
  const announced = theirs === undefined ? UNVERSIONED_PROTOCOL : theirs;
  if (typeof announced !== 'number' || !Number.isInteger(announced) || announced < 1)
    return {
      ok: false,
      code: 'protocol_version_mismatch',
      message: `the ${role} announced protocol version ${JSON.stringify(theirs)}, which is not a version; this node speaks ${ours}`,
      ours,
      theirs: null,
    };
  if (announced !== ours)
    return {
      ok: false,
      code: 'protocol_version_mismatch',
      message: `the ${role} speaks replication protocol version ${announced}${theirs === undefined ? ' (it sent no version)' : ''}; this node speaks ${ours}: run the same release on every node`,
      ours,
      theirs: announced,
    };
  return { ok: true, version: ours };
}
