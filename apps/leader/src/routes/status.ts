/** `GET /status`: per follower what it acked and how far behind it is (cf. pg_stat_replication). */
import type { Router } from 'express';
import { methodNotAllowed, strictRouter } from '@quorum-kv/http-edge';
import type { LeaderStatus } from '@quorum-kv/replication-protocol';
import type { ReplicationCoordinator } from '../replication/replication-coordinator';

export function statusRoutes(coordinator: ReplicationCoordinator): Router {
  const router = strictRouter();
  router.get('/status', (_req, res) => {
    const status: LeaderStatus = {
      role: 'leader',
      state: coordinator.leaderState,
      epoch: coordinator.epoch,
      fencedBy: coordinator.fencedBy,
      recoveryQuorum: coordinator.recoveryQuorum,
      wOutsidePromise: coordinator.wOutsidePromise,
      recovery: coordinator.recoveryStatus,
      lsn: coordinator.log.lastLsn,
      inFlightWrites: coordinator.inFlightWrites,
      drained: coordinator.isDrained(),
      followers: coordinator.followerStatus(),
    };
    res.json(status);
  });
  router.all('/status', methodNotAllowed(['GET']));
  return router;
}
