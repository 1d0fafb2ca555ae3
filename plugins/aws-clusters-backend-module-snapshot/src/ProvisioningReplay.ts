import type {
  CostAndUsagePage,
  CostAndUsageQuery,
  FleetSnapshot,
  FleetSource,
  ManagementClusterFeed,
  ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import { randomUUID } from 'node:crypto';
import {
  frameCount,
  provisioningFrame,
  recordedCluster,
  withFrame,
} from './provisioningFrames';

/** What the replay plays: one cluster of the recorded fleet, at a pace. */
export interface ProvisioningReplayOptions {
  /** `<managementCluster>/<namespace>/<name>`. */
  cluster: string;
  stepMs: number;
  /** Starts over this long after the cluster is ready; once only when absent. */
  repeatAfterMs?: number;
  /** The clock (tests). */
  now?: () => number;
  /**
   * Told once, naming the field, when the cluster cannot be replayed (not in the snapshot, or
   * not an EC2 cluster); the recording is then served as it is.
   */
  onProblem?: (message: string) => void;
}

/**
 * A recorded fleet in which one cluster provisions again, step by step on a timer (from its VPC
 * to its node pools, as CAPA and Cluster API report it), ending in the cluster as recorded:
 * the demo's way of showing a provisioning as it happens. Between refreshes it pushes the
 * management cluster's new state at each step, as a watch would.
 */
export class ProvisioningReplay implements FleetSource, ManagementClusterFeed {
  readonly name: string;
  private readonly managementCluster: string;
  private readonly namespace: string;
  private readonly clusterName: string;
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly uids = new Map<number, string>();
  private last?: ManagementClusterSnapshot;
  private steps?: number;
  /** Why the cluster cannot be replayed, once found out. */
  problem?: string;

  constructor(
    private readonly inner: FleetSource,
    private readonly options: ProvisioningReplayOptions,
  ) {
    this.name = inner.name;
    [this.managementCluster, this.namespace, this.clusterName] =
      options.cluster.split('/');
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** The inner source's fleet with the cluster at the replay's current step. */
  async collect(options?: {
    signal?: AbortSignal;
  }): Promise<Partial<FleetSnapshot>> {
    const part = await this.inner.collect(options);
    const managementClusters = part.managementClusters ?? [];
    const mc = managementClusters.find(m => m.name === this.managementCluster);
    let replayed: ManagementClusterSnapshot;
    try {
      if (!mc)
        throw new Error(
          `clusterdeck.snapshot.replayProvisioning.cluster: the snapshot has no management cluster ${this.managementCluster}`,
        );
      replayed = this.replayed(mc);
    } catch (error) {
      // A replay that cannot be made never hides the rest of the recorded fleet.
      const message = (error as Error).message;
      if (this.problem !== message) this.options.onProblem?.(message);
      this.problem = message;
      this.last = undefined;
      return part;
    }
    this.problem = undefined;
    this.last = mc;
    return {
      ...part,
      managementClusters: managementClusters.map(m =>
        m === mc ? replayed : m,
      ),
    };
  }

  getCostAndUsage(query: CostAndUsageQuery): Promise<CostAndUsagePage> {
    if (!this.inner.getCostAndUsage)
      throw new Error(`${this.inner.name} does not answer GetCostAndUsage`);
    return this.inner.getCostAndUsage(query);
  }

  /** Pushes the management cluster at each new step, until the returned function is called. */
  watchManagementClusters(
    onChange: (snapshot: ManagementClusterSnapshot) => void,
  ): () => void {
    let shown = '';
    const tick = async () => {
      // Nothing to push while the cluster cannot be replayed (the next refresh looks again).
      if (this.problem) return;
      if (!this.last) await this.collect();
      const at = this.position();
      const key = `${at.cycle}:${at.step}`;
      if (key === shown || !this.last) return;
      shown = key;
      onChange({
        ...this.replayed(this.last),
        fetchedAt: new Date(this.now()).toISOString(),
      });
    };
    const timer = setInterval(
      () => void tick().catch(() => undefined),
      Math.min(1000, this.options.stepMs),
    );
    return () => clearInterval(timer);
  }

  /** Where the replay is: its round and the step within it. */
  position(): { cycle: number; step: number; cycleStart: number } {
    const last = (this.steps ?? 1) - 1;
    const elapsed = Math.max(0, this.now() - this.startedAt);
    const { stepMs, repeatAfterMs } = this.options;
    if (repeatAfterMs === undefined) {
      return {
        cycle: 0,
        step: Math.min(last, Math.floor(elapsed / stepMs)),
        cycleStart: this.startedAt,
      };
    }
    const cycleMs = last * stepMs + repeatAfterMs;
    const cycle = Math.floor(elapsed / cycleMs);
    const cycleStart = this.startedAt + cycle * cycleMs;
    return {
      cycle,
      step: Math.min(last, Math.floor((elapsed - cycle * cycleMs) / stepMs)),
      cycleStart,
    };
  }

  private replayed(mc: ManagementClusterSnapshot): ManagementClusterSnapshot {
    const recorded = recordedCluster(mc, this.namespace, this.clusterName);
    this.steps = frameCount(recorded);
    const { cycle, step, cycleStart } = this.position();
    if (!this.uids.has(cycle)) this.uids.set(cycle, randomUUID());
    const iso = (ms: number) => new Date(ms).toISOString();
    const frame = provisioningFrame(recorded, step, {
      uid: this.uids.get(cycle)!,
      startedAt: iso(cycleStart),
      timeOf: s => iso(cycleStart + s * this.options.stepMs),
    });
    return withFrame(mc, recorded, frame);
  }
}
