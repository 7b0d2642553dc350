/**
 * Validation of one result folder's files, given their parsed JSON: `config.json` and
 * `summary.json` are required, `consistency.json` is optional. Validation happens here, at the
 * edge, so everything after it can trust the records. Pure: the caller reads the files.
 *
 * JSON carries a NaN (no successful write, no model) as `null`; it comes back as NaN, the way
 * the rest of the bench represents "not a number". Older runs may lack a column added later,
 * so only what the comparison needs is required.
 */
import { AckModeSchema, describeIssue, type AckMode } from '@quorum-kv/replication-protocol';
import { z } from 'zod';
import type { ConsistencyRow, SummaryRow } from '../sweep/records';
import { CompareError } from './compare-error';

export const CONFIG_FILE = 'config.json';
export const SUMMARY_FILE = 'summary.json';
export const CONSISTENCY_FILE = 'consistency.json';

/** A sweep has one summary row per W; far more than this is not a summary. */
export const MAX_SUMMARY_ROWS = 1_000;
/** One row per W and follower. */
export const MAX_CONSISTENCY_ROWS = 100_000;

/** Which side of the comparison a run is on. */
export type RunRole = 'A' | 'B';

const measured = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);
const optionalMeasured = z
  .number()
  .nullable()
  .optional()
  .transform((v) => v ?? Number.NaN);
const count = z.number().int().nonnegative();
const ackMode = AckModeSchema;

export const summaryRowSchema = z.object({
  w: z.number().int().min(1),
  count,
  errors: count,
  mean: measured,
  median: measured,
  p95: measured,
  p99: measured,
  min: optionalMeasured,
  max: optionalMeasured,
  modelMean: optionalMeasured,
  modelP50: optionalMeasured,
  modelP95: optionalMeasured,
  modelP99: optionalMeasured,
  overheadP50: optionalMeasured,
  overheadP99: optionalMeasured,
  /** Absent in runs from before several ack modes per run: the config's ackMode then. */
  ackMode: ackMode.optional(),
  /** Repeats pooled in the row; absent in runs from before --repeat. */
  runs: z.number().int().min(1).default(1),
});

export const summarySchema = z.array(summaryRowSchema).min(1, 'has no rows').max(MAX_SUMMARY_ROWS);

export const consistencySchema = z
  .array(
    z.object({
      w: z.number().int().min(1),
      ackMode: ackMode.optional(),
      run: z.number().int().min(0).default(0),
      follower: z.number().int().min(1),
      differingKeysAtLastAck: measured,
      lsnBehindAtLastAck: measured,
      differingKeysAfterDrain: measured,
      lsnBehindAfterDrain: measured,
      down: z.boolean().optional(),
    }),
  )
  .max(MAX_CONSISTENCY_ROWS);

/**
 * The settings the comparison reads; any other field is kept, so it shows up among the
 * differences. Settings added later get the value older runs implicitly had.
 */
export const runConfigSchema = z.looseObject({
  runtime: z.string().optional(),
  leaderUrl: z.string().optional(),
  followers: z.number().int().min(1),
  quorums: z.array(z.number().int().min(1)).min(1),
  writes: z.number().int().min(1),
  concurrency: z.number().int().min(1).optional(),
  keys: z.number().int().min(1).optional(),
  scenario: z.string().optional(),
  delay: z.string().min(1),
  downFollowers: z.array(z.number().int()).default([]),
  replicationTimeoutMs: z.number().optional(),
  ackMode,
  ackModes: z.array(ackMode).optional(),
  repeat: z.number().int().min(1).default(1),
  rate: z.number().nullable().default(null),
  seed: z.number().int().optional(),
  warmupWrites: z.number().int().optional(),
  warmupConcurrency: z.number().int().optional(),
  warmupSeconds: z.number().int().optional(),
  out: z.string().optional(),
});

export type RunConfig = z.infer<typeof runConfigSchema>;

/** One side of the comparison: one ack mode of one result folder, validated. */
export interface RunData {
  role: RunRole;
  dir: string;
  /** The ack mode compared (a folder may hold several). */
  ackMode: AckMode;
  /** The folder's config with `ackMode` set to the compared one (and its list of modes dropped). */
  config: RunConfig;
  /** One row per W, of that ack mode, ascending. */
  summary: SummaryRow[];
  /** That ack mode's checks, without stopped followers; null when the folder has no `consistency.json`. */
  consistency: ConsistencyRow[] | null;
}

/** The parsed JSON of a folder's files; `consistency` is undefined when the file is absent. */
export interface RunFiles {
  config: unknown;
  summary: unknown;
  consistency?: unknown;
}

/** "run A (tmp/cmp-a)": how every message names the run it is about. */
export function runName(role: RunRole, dir: string): string {
  return `run ${role} (${dir})`;
}

export function parseJsonText(text: string, role: RunRole, dir: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CompareError(`${runName(role, dir)}: ${file} is not valid JSON (${reason})`);
  }
}

function validate<T extends z.ZodType>(
  schema: T,
  value: unknown,
  role: RunRole,
  dir: string,
  file: string,
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new CompareError(`${runName(role, dir)}: ${file} is malformed: ${describeIssue(parsed.error)}`);
}

/** The ack mode to compare: the one asked for, or the folder's only one. */
function chooseAckMode(role: RunRole, dir: string, measured: readonly AckMode[], wanted: AckMode | undefined): AckMode {
  const flag = `--ack-mode-${role.toLowerCase()}`;
  if (wanted !== undefined && !measured.includes(wanted)) {
    throw new CompareError(
      `${runName(role, dir)}: has no results for ack mode ${wanted} (${flag}); it measured ${measured.join(', ')}`,
      2,
    );
  }
  if (wanted === undefined && measured.length > 1) {
    throw new CompareError(
      `${runName(role, dir)}: measured ack modes ${measured.join(' and ')}; pick one with ${flag}`,
      2,
    );
  }
  return wanted ?? (measured[0] as AckMode);
}

/**
 * Validates a folder's files and keeps one ack mode of it: `wanted`, or the only one the
 * folder measured (a folder with several needs `wanted`).
 */
export function parseRun(role: RunRole, dir: string, files: RunFiles, wanted?: AckMode): RunData {
  const folderConfig = validate(runConfigSchema, files.config, role, dir, CONFIG_FILE);
  const rows = validate(summarySchema, files.summary, role, dir, SUMMARY_FILE).map((r) => ({
    ...r,
    ackMode: r.ackMode ?? folderConfig.ackMode,
  }));
  const chosen = chooseAckMode(role, dir, [...new Set(rows.map((r) => r.ackMode))], wanted);
  const summary = rows.filter((r) => r.ackMode === chosen).sort((a, b) => a.w - b.w);
  const twice = summary.find((r, i) => i > 0 && summary[i - 1]?.w === r.w);
  if (twice !== undefined)
    throw new CompareError(
      `${runName(role, dir)}: ${SUMMARY_FILE} is malformed: two rows for W=${twice.w} (ack mode ${chosen})`,
    );
  const consistency =
    files.consistency === undefined
      ? null
      : validate(consistencySchema, files.consistency, role, dir, CONSISTENCY_FILE)
          .map((r) => ({ ...r, ackMode: r.ackMode ?? folderConfig.ackMode }))
          .filter((r) => r.ackMode === chosen && r.down !== true);
  const { ackModes: _measuredModes, ...config } = folderConfig;
  return { role, dir, ackMode: chosen, config: { ...config, ackMode: chosen }, summary, consistency };
}
