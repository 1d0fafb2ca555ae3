import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  CLUSTER_CHANGES_CHANNEL,
  type ClusterChangesSignal,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { FleetChange } from './FleetService';

/**
 * Pushes the refs of changed clusters to open pages through Backstage signals: one signal per
 * owning group, to that group and the admin groups, naming only that group's clusters, so that
 * no team learns another team's cluster names. Pages fetch the clusters again through the
 * permission-checked API; without signals they poll.
 */
export class ClusterChangeSignals {
  constructor(
    private readonly signals: SignalsService,
    private readonly adminGroups: string[],
    private readonly logger: LoggerService,
  ) {}

  async publish(change: Pick<FleetChange, 'refs' | 'model'>): Promise<void> {
    const byOwner = new Map<string, string[]>();
    for (const ref of change.refs) {
      const owner = change.model.byRef.get(ref)?.owner;
      if (!owner) continue;
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), ref]);
    }
    await Promise.all(
      [...byOwner].map(async ([owner, refs]) => {
        try {
          await this.signals.publish<ClusterChangesSignal>({
            recipients: {
              type: 'user',
              entityRef: [...new Set([owner, ...this.adminGroups])],
            },
            channel: CLUSTER_CHANGES_CHANNEL,
            message: { refs },
          });
        } catch (error) {
          this.logger.warn(`Could not signal cluster changes: ${error}`);
        }
      }),
    );
  }
}
