/**
 * Injected network delay. A model spec is `uniform:MIN:MAX`, `constant:MS`, `exponential:MEAN`,
 * `lognormal:MEDIAN:SIGMA` or `pareto:SCALE:SHAPE` (all in milliseconds). A plan gives one model
 * to every follower, with per-follower overrides by 1-based follower number:
 * `uniform:0:50;5=uniform:800:1000` (follower 5 is the slow one).
 */
import { createRng, nextNormal, type Rng } from './random';

export type DelayModel =
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'constant'; ms: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'lognormal'; medianMs: number; sigma: number }
  | { kind: 'pareto'; scaleMs: number; shape: number };

export class DelaySpecError extends Error {
  override name = 'DelaySpecError';
}

const ARITY: Record<DelayModel['kind'], number> = {
  uniform: 2,
  constant: 1,
  exponential: 1,
  lognormal: 2,
  pareto: 2,
};

export function parseDelayModel(spec: string): DelayModel {
  const [kind, ...rest] = spec.trim().split(':');
  if (!kind || !Object.hasOwn(ARITY, kind)) {
    throw new DelaySpecError(
      `unknown delay model "${spec}": use uniform:MIN:MAX, constant:MS, exponential:MEAN, lognormal:MEDIAN:SIGMA or pareto:SCALE:SHAPE`,
    );
  }
  const k = kind as DelayModel['kind'];
  const nums = rest.map((part) => (/^\s*[0-9]+(\.[0-9]+)?\s*$/.test(part) ? Number(part) : NaN));
  if (nums.length !== ARITY[k] || nums.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new DelaySpecError(`delay model "${spec}" needs ${ARITY[k]} non-negative number(s) after "${k}:"`);
  }
  const [a = 0, b = 0] = nums;
  switch (k) {
    case 'uniform':
      if (a > b) throw new DelaySpecError(`delay model "${spec}": MIN must not exceed MAX`);
      return { kind: k, minMs: a, maxMs: b };
    case 'constant':
      return { kind: k, ms: a };
    case 'exponential':
      return { kind: k, meanMs: a };
    case 'lognormal':
      if (a <= 0) throw new DelaySpecError(`delay model "${spec}": MEDIAN must be positive`);
      return { kind: k, medianMs: a, sigma: b };
    case 'pareto':
      if (a <= 0 || b <= 0) throw new DelaySpecError(`delay model "${spec}": SCALE and SHAPE must be positive`);
      return { kind: k, scaleMs: a, shape: b };
  }
}

export function formatDelayModel(model: DelayModel): string {
  switch (model.kind) {
    case 'uniform':
      return `uniform:${model.minMs}:${model.maxMs}`;
    case 'constant':
      return `constant:${model.ms}`;
    case 'exponential':
      return `exponential:${model.meanMs}`;
    case 'lognormal':
      return `lognormal:${model.medianMs}:${model.sigma}`;
    case 'pareto':
      return `pareto:${model.scaleMs}:${model.shape}`;
  }
}

/** One draw from the model, in milliseconds. */
export function sampleDelayMs(model: DelayModel, rng: Rng): number {
  switch (model.kind) {
    case 'uniform':
      return model.minMs + (model.maxMs - model.minMs) * rng.next();
    case 'constant':
      return model.ms;
    case 'exponential':
      return -model.meanMs * Math.log(1 - rng.next());
    case 'lognormal':
      return model.medianMs * Math.exp(model.sigma * nextNormal(rng));
    case 'pareto':
      return model.scaleMs / Math.pow(1 - rng.next(), 1 / model.shape);
  }
}

/** The model's mean, where it is finite (a Pareto with shape <= 1 has none). */
export function delayModelMeanMs(model: DelayModel): number {
  switch (model.kind) {
    case 'uniform':
      return (model.minMs + model.maxMs) / 2;
    case 'constant':
      return model.ms;
    case 'exponential':
      return model.meanMs;
    case 'lognormal':
      return model.medianMs * Math.exp((model.sigma * model.sigma) / 2);
    case 'pareto':
      return model.shape > 1 ? (model.shape * model.scaleMs) / (model.shape - 1) : Infinity;
  }
}

/** Parses a plan into one model per follower (index 0 is follower number 1). */
export function parseDelayPlan(spec: string, followerCount: number): DelayModel[] {
  const [base, ...overrides] = spec.split(';').map((part) => part.trim());
  if (!base) throw new DelaySpecError('empty delay spec');
  const models = Array.from({ length: followerCount }, () => parseDelayModel(base));
  for (const override of overrides.filter((o) => o !== '')) {
    const match = /^([0-9]+)=(.+)$/.exec(override);
    const number = match ? Number(match[1]) : NaN;
    if (!match || !Number.isInteger(number) || number < 1 || number > followerCount) {
      throw new DelaySpecError(
        `delay override "${override}": use FOLLOWER=MODEL with FOLLOWER from 1 to ${followerCount}`,
      );
    }
    models[number - 1] = parseDelayModel(match[2] as string);
  }
  return models;
}

export function formatDelayPlan(models: DelayModel[]): string {
  const base = models[0] ? formatDelayModel(models[0]) : 'constant:0';
  const overrides = models
    .map((m, i) => [i + 1, formatDelayModel(m)] as const)
    .filter(([, text]) => text !== base)
    .map(([n, text]) => `${n}=${text}`);
  return [base, ...overrides].join(';');
}

/**
 * Draws the delays of a cluster: one independent seeded stream per follower, so follower i's
 * k-th draw depends only on the seed, i and k.
 */
export class DelaySampler {
  private readonly rngs: Rng[];

  constructor(
    readonly models: DelayModel[],
    seed: number,
  ) {
    this.rngs = models.map((_, i) => createRng(seed, i + 1));
  }

  next(follower: number): number {
    const model = this.models[follower];
    const rng = this.rngs[follower];
    if (!model || !rng) throw new RangeError(`no delay model for follower index ${follower}`);
    return sampleDelayMs(model, rng);
  }
}
