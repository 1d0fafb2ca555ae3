import path from 'node:path';

/** What a day-2 action hands to the publish step (see `proposalOutputs`). */
export interface Proposal {
  title: string;
  description: string;
  owner: string;
  clusterName: string;
  change: string;
}

/** Sets the outputs of a day-2 action that the publish step takes. */
export function outputProposal(
  ctx: { output(name: keyof Proposal, value: string): void },
  proposal: Proposal,
): void {
  ctx.output('title', proposal.title);
  ctx.output('description', proposal.description);
  ctx.output('owner', proposal.owner);
  ctx.output('clusterName', proposal.clusterName);
  ctx.output('change', proposal.change);
}

/**
 * Sets the outputs of a day-2 action that rewrote a cluster's files (see `changedFilesOutputs`):
 * its directory and the files written, relative to the workspace.
 */
export function outputChangedFiles(
  ctx: {
    output(name: 'directory' | 'changedFiles', value: string | string[]): void;
  },
  relative: string,
  written: string[],
): void {
  ctx.output('directory', relative);
  ctx.output(
    'changedFiles',
    written.map(f => path.posix.join(relative, f)),
  );
}
