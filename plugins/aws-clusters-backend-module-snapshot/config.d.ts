export interface Config {
  clusterdeck?: {
    /**
     * Read the fleet from recorded snapshots in this folder instead of AWS and the management
     * clusters (the layout `yarn fleet:record` writes, or the demo fleet).
     */
    snapshot?: {
      /** The snapshot folder; relative paths resolve against the backend's working directory. */
      directory: string;
      /**
       * Replays a recorded provisioning (CAPA's steps for an EC2 cluster, from its VPC to its node
       * pools) of one cluster of the snapshot on a timer, ending in the cluster as recorded.
       */
      replayProvisioning?: {
        /** `<managementCluster>/<namespace>/<name>` of an AWSCluster-based cluster of the snapshot. */
        cluster: string;
        /** Seconds between steps (default 15). */
        stepSeconds?: number;
        /** Starts over this many seconds after the cluster is ready; once only when absent. */
        repeatAfterSeconds?: number;
      };
    };
  };
}
