export interface Config {
  clusterdeck?: {
    /**
     * Read the AWS side of the fleet from an AWS Config aggregator instead of listing every
     * account and region. Set `clusterdeck.sources.aws: false` beside it so that the backend's
     * own AWS collector does not read the same accounts again.
     */
    awsConfig?: {
      /** The name of the organization (or account) aggregator. */
      aggregatorName: string;
      /** The account the aggregator lives in (the management or a delegated administrator account). */
      accountId: string;
      /** The region the aggregator lives in. */
      region: string;
      /** A role to assume in the aggregator's account; else the `aws` integration configuration decides. */
      roleArn?: string;
      /** The external id of `roleArn`. */
      externalId?: string;
      /**
       * Minutes after which an account region the aggregator has not collected from is shown as
       * stale (default 60).
       */
      maxLagMinutes?: number;
      /**
       * Where scaling activities are read directly: `short` only in account regions with an Auto
       * Scaling group below its desired capacity (default), `all` wherever there are groups.
       */
      scalingActivities?: 'short' | 'all';
      /** Accounts per query: each query names at most this many account ids (default 200). */
      accountsPerQuery?: number;
      /**
       * Minutes between full queries of every recorded resource (default 360). In between, a
       * refresh queries only the items Config recorded since the last query.
       */
      fullQueryMinutes?: number;
      /**
       * Minutes a changes query reaches back before the last query, or before the aggregator's
       * oldest collection then, for items an account delivered late (default 30).
       */
      changesOverlapMinutes?: number;
    };
  };
}
