/**
 * @public Where a step of a cluster's provisioning (or deletion) stands: `done` with the time it
 * became true, `active` while it is the step being worked on, `failed` when its controller
 * reports an error, `pending` until the steps before it are done.
 */
export type ProvisioningStepState = 'done' | 'active' | 'failed' | 'pending';

/** @public One step of a cluster's provisioning timeline. */
export interface ProvisioningStep {
  /** Stable within a cluster: `requested`, `cluster-object`, a condition type, `pool:<name>`, … */
  id: string;
  title: string;
  state: ProvisioningStepState;
  /** When the step became true (done steps), as its condition or object says. */
  at?: string;
  /** The condition's reason while the step is not done (e.g. `NatGatewaysCreationStarted`). */
  reason?: string;
  /** The condition's message while the step is not done. */
  message?: string;
  /** Figures of the step, e.g. `2 of 3 nodes ready`. */
  detail?: string;
  /** Where the step is read, e.g. `AWSCluster VpcReady`. */
  source?: string;
}

/** @public The request a cluster was made from, as the fleet backend recorded it. */
export interface ProvisioningRequest {
  /** Who requested it (a user entity ref). */
  by: string;
  at: string;
  /** The GitOps branch the change was proposed on. */
  branch?: string;
  /** The pull request or change, when known. */
  changeUrl?: string;
}

/**
 * @public A cluster's way from its request to ready (or, once deletion is requested, back to
 * nothing), read from its Cluster API and CAPA objects as served.
 */
export interface ProvisioningTimeline {
  /** `<managementCluster>/<namespace>/<name>`. */
  ref: string;
  direction: 'create' | 'delete';
  /**
   * `requested` until the management cluster has the Cluster object, `provisioning` until every
   * step is done, then `ready`; `failed` while a step fails; `deleting` during deletion.
   */
  phase: 'requested' | 'provisioning' | 'ready' | 'failed' | 'deleting';
  request?: ProvisioningRequest;
  steps: ProvisioningStep[];
  /** The step that holds the cluster now, and since when. */
  blocking?: {
    stepId: string;
    title: string;
    reason?: string;
    message?: string;
    since: string;
    /** Milliseconds from `since` to `generatedAt`. */
    forMs: number;
  };
  /** The last time a step became true. */
  lastProgressAt?: string;
  generatedAt: string;
}

/**
 * @public The signal channel on which the fleet backend says which clusters changed. Each owning
 * group (and the admin groups) is sent only its own clusters' refs; a page fetches them again
 * through the permission-checked API.
 */
export const CLUSTER_CHANGES_CHANNEL = 'aws-clusters:clusters';

/** @public The message on {@link CLUSTER_CHANGES_CHANNEL}. */
export type ClusterChangesSignal = {
  /** `<managementCluster>/<namespace>/<name>` of the clusters that changed. */
  refs: string[];
};
