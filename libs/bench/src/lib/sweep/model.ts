/**
 * The model's prediction for a sweep: for each W, the distribution of the W-th smallest of the
 * followers' delays, from the same delay plan the leader uses (closed form where there is
 * one, seeded Monte Carlo otherwise).
 */
import { createRng, parseDelayPlan, sampleDelayMs, type DelayModel } from '@quorum-kv/replication-protocol';
import { modelQuorumLatency, type FollowerDelay, type QuorumLatencyModel } from '@quorum-kv/stats';

function toFollowerDelay(model: DelayModel, seed: number, follower: number): FollowerDelay {
  if (model.kind === 'uniform') return { kind: 'uniform', minMs: model.minMs, maxMs: model.maxMs };
  if (model.kind === 'constant') return { kind: 'constant', ms: model.ms };
  const rng = createRng(seed, 7000 + follower);
  return { kind: 'sampler', sample: () => sampleDelayMs(model, rng) };
}

/** Predictions per W; followers listed in `downFollowers` (1-based) never ack, so W beyond the live ones has none. */
export function predictQuorumLatency(
  delaySpec: string,
  followerCount: number,
  quorums: number[],
  seed: number,
  downFollowers: number[] = [],
): Map<number, QuorumLatencyModel> {
  const plan = parseDelayPlan(delaySpec, followerCount).filter((_, i) => !downFollowers.includes(i + 1));
  const predictions = new Map<number, QuorumLatencyModel>();
  for (const w of quorums.filter((q) => q <= plan.length)) {
    const followers = plan.map((model, i) => toFollowerDelay(model, seed, i));
    const random = createRng(seed, 9000 + w);
    predictions.set(w, modelQuorumLatency({ followers, w, random: () => random.next() }));
  }
  return predictions;
}
