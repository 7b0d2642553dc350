/**
 * The command line of `bench compare`: two result folders in, one comparison folder out. A
 * bad flag stops with one line (commander prints it).
 */
import { ACK_MODES, type AckMode } from '@quorum-kv/replication-protocol';
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultOutDir, outOption, withAction } from '../common/cli-options';
import { MAX_LABEL_LENGTH } from './compare-table';

export interface CompareCli {
  dirA: string;
  dirB: string;
  outDir: string;
  /** Absent: named after the settings that differ, or the folders. */
  labelA?: string;
  labelB?: string;
  /** Which ack mode of a folder that measured several (`--ack-modes`); absent: its only one. */
  ackModeA?: AckMode;
  ackModeB?: AckMode;
}

/** A run's name in tables and legends: one line, 1 to MAX_LABEL_LENGTH characters. */
export function parseLabel(raw: string): string {
  const label = raw.trim();
  if (label.length === 0 || label.length > MAX_LABEL_LENGTH || /[\r\n]/.test(label)) {
    throw new InvalidArgumentError(`a label is one line of 1 to ${MAX_LABEL_LENGTH} characters`);
  }
  return label;
}

export function compareCommand(onRun: (cli: CompareCli) => Promise<void>): Command {
  const command = new Command('compare')
    .description('Compare two quorum-sweep result folders side by side: a table, a chart and a report')
    .requiredOption('--a <dir>', 'result folder of run A (the baseline)')
    .requiredOption('--b <dir>', 'result folder of run B (compared with A)')
    .addOption(outOption())
    .option(
      '--label-a <name>',
      'name of run A in the table and chart (default: the setting that differs, or the folder name)',
      parseLabel,
    )
    .option('--label-b <name>', 'name of run B', parseLabel)
    .addOption(
      new Option('--ack-mode-a <mode>', 'the ack mode of run A to compare, when its folder measured several').choices(
        ACK_MODES,
      ),
    )
    .addOption(
      new Option('--ack-mode-b <mode>', 'the ack mode of run B to compare, when its folder measured several').choices(
        ACK_MODES,
      ),
    );
  return withAction(command, toCompareCli, onRun);
}

export function toCompareCli(opts: Record<string, unknown>, now = new Date()): CompareCli {
  const labelA = opts['labelA'] as string | undefined;
  const labelB = opts['labelB'] as string | undefined;
  const ackModeA = opts['ackModeA'] as AckMode | undefined;
  const ackModeB = opts['ackModeB'] as AckMode | undefined;
  return {
    dirA: opts['a'] as string,
    dirB: opts['b'] as string,
    outDir: (opts['out'] as string | undefined) ?? defaultOutDir('compare', now),
    ...(labelA !== undefined && { labelA }),
    ...(labelB !== undefined && { labelB }),
    ...(ackModeA !== undefined && { ackModeA }),
    ...(ackModeB !== undefined && { ackModeB }),
  };
}
