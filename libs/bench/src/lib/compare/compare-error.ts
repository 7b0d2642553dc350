/**
 * The one error of `bench compare`: a bad flag, or a result folder that is missing, incomplete
 * or malformed. It carries its exit code (2 for a bad flag, 1 for unusable input or a failed
 * write) and a message that fits on one line, naming the run and the file.
 */
import { CommandError } from '../common/cli-options';

export class CompareError extends CommandError {
  override name = 'CompareError';
}
