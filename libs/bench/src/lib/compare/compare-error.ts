/**
 * The one error of `bench compare`: a bad flag, or a result folder that is missing, incomplete
 * or malformed. It carries its exit code (2 for a bad flag, 1 for unusable input or a failed
 * write) and a message that fits on one line, naming the run and the file.
 */
export class CompareError extends Error {
  override name = 'CompareError';

  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}
