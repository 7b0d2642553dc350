/** `bench memory-down-follower`: the leader's memory while a follower is down (issue #12). */
export * from './memory-cli';
export * from './down-follower-memory';
