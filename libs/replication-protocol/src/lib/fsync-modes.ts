/**
 * When a node's on-disk log (DATA_DIR) fsyncs: `always` (group commit before every ack),
 * `batch` (at most every FSYNC_INTERVAL_MS), `off` (left to the OS). Defined here, in the core,
 * so the disk-log library, the apps and the bench share one list.
 */
export const FSYNC_MODES = ['always', 'batch', 'off'] as const;
export type FsyncMode = (typeof FSYNC_MODES)[number];
