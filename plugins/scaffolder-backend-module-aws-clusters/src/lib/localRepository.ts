import { InputError } from '@backstage/errors';
import path from 'node:path';
import type { GitopsConfig } from '../config/moduleConfig';

/** The configured local GitOps repository, as an absolute path (relative ones from the backend's working directory). */
export function localRepositoryPath(
  gitops: Pick<GitopsConfig, 'localRepository'>,
): string {
  if (!gitops.localRepository) {
    throw new InputError(
      'No local GitOps repository is configured (clusterdeck.gitops.localRepository)',
    );
  }
  return path.resolve(gitops.localRepository);
}
