import path from 'node:path';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';
import type { GitopsConfig } from '../config/moduleConfig';
import { fillPattern } from './gitopsLayout';
import { organizationsOf } from './organizationNamespaces';

/** Stands for one path segment of any name while a pattern is filled, then becomes `[^/]+`. */
const ANY = '\u0000';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A folder pattern as regular expressions: the folder itself or below it (`at`), strictly below it (`inside`). */
function folderPatterns(folder: string): { at: RegExp; inside: RegExp } {
  const source = path.posix
    .normalize(folder)
    .replace(/\/+$/, '')
    .split(ANY)
    .map(escapeRegExp)
    .join('[^/]+');
  return {
    at: new RegExp(`^${source}(/|$)`),
    inside: new RegExp(`^${source}/[^/]`),
  };
}

/**
 * The folders of the GitOps repository a change for one owner may touch: the cluster folders of
 * `gitops.clusterPath` in the owner's organizations on the configured management clusters and,
 * for administrators, the role-identity and account folders. Everything else in the repository
 * belongs to other teams or to the platform.
 * @public
 */
export class GitopsScope {
  private constructor(
    private readonly folders: ReadonlyArray<{
      shown: string;
      at: RegExp;
      inside: RegExp;
    }>,
  ) {}

  /**
   * The folders `owner` may change: every cluster folder of theirs, or only the folders of the
   * cluster named `cluster`; with `admin`, also the role-identity and account folders.
   */
  static forOwner(options: {
    gitops: Pick<
      GitopsConfig,
      'clusterPath' | 'roleIdentityPath' | 'accountPath'
    >;
    config: Pick<ClusterdeckConfig, 'organizations' | 'managementClusters'>;
    owner: string;
    cluster?: string;
    admin: boolean;
  }): GitopsScope {
    const { gitops, config } = options;
    const folders: string[] = [];
    for (const mc of config.managementClusters) {
      for (const organization of organizationsOf(
        options.owner,
        config.organizations,
      )) {
        folders.push(
          fillPattern(gitops.clusterPath, {
            managementCluster: mc.name,
            organization,
            namespace: `org-${organization}`,
            name: options.cluster ?? ANY,
          }),
        );
      }
      if (options.admin) {
        folders.push(
          fillPattern(gitops.roleIdentityPath, {
            managementCluster: mc.name,
            name: ANY,
          }),
        );
      }
    }
    if (options.admin)
      folders.push(
        fillPattern(gitops.accountPath, { managementCluster: ANY, name: ANY }),
      );
    return GitopsScope.of(folders);
  }

  /** Exactly one folder: the directory of one cluster. */
  static folder(folder: string): GitopsScope {
    return GitopsScope.of([folder]);
  }

  private static of(folders: string[]): GitopsScope {
    return new GitopsScope(
      [...new Set(folders)].map(folder => ({
        shown: folder.split(ANY).join('*'),
        ...folderPatterns(folder),
      })),
    );
  }

  /** Whether a normalized repository path is one of the folders or lies inside one. */
  holdsPath(repositoryPath: string): boolean {
    return this.folders.some(f => f.at.test(repositoryPath));
  }

  /** Whether a normalized repository file path lies inside one of the folders. */
  holdsFile(file: string): boolean {
    return this.folders.some(f => f.inside.test(file));
  }

  /** The folders, with `*` for any name, for messages. */
  describe(): string {
    return this.folders.map(f => f.shown).join(', ') || 'none';
  }
}
