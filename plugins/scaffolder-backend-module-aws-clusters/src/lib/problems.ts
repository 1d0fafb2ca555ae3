import { InputError } from '@backstage/errors';
import {
  formatProblems,
  Problem,
} from '@clusterdeck/plugin-aws-clusters-common';

/**
 * Fails a step with every problem, one per line as `dotted.path: reason`.
 * @public
 */
export class ProblemsError extends InputError {
  readonly problems: Problem[];

  /** `under` names the input the problems' paths are inside of, e.g. `request` for `request.spec.region`. */
  constructor(what: string, problems: Problem[], under?: string) {
    const named = under
      ? problems.map(p => ({
          ...p,
          path: p.path ? `${under}.${p.path}` : under,
        }))
      : problems;
    super(`${what}:\n${formatProblems(named)}`);
    this.problems = named;
  }
}

/** Throws a {@link ProblemsError} when there are problems. */
export function assertNoProblems(what: string, problems: Problem[]): void {
  if (problems.length > 0) {
    throw new ProblemsError(what, problems);
  }
}
