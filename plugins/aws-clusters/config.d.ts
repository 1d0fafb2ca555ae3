export interface Config {
  clusterdeck?: {
    versionSupport?: {
      /**
       * Days before the end of a support phase from which a version shows as ending soon
       * (default 90). Declared by the backend; the tables and the fleet overview name it.
       * @visibility frontend
       */
      warnDays?: number;
    };
  };
}
