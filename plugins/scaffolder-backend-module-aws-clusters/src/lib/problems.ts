import { InputError } from '@backstage/errors';
import { formatProblems, Problem } from '@clusterdeck/plugin-aws-clusters-common';

/**
 * Fails a step with every problem, one per line as `dotted.path: reason`.
 * @public
 */
export class ProblemsError extends InputError {
  readonly problems: Problem[];

  constructor(what: string, problems: Problem[]) {
    super(`${what}:\n${formatProblems(problems)}`);
    this.problems = problems;
  }
}

/** Throws a {@link ProblemsError} when there are problems. */
export function assertNoProblems(what: string, problems: Problem[]): void {
  if (problems.length > 0) {
    throw new ProblemsError(what, problems);
  }
}
