export interface Config {
  clusterdeck?: {
    /**
     * Read the fleet from recorded snapshots in this folder instead of AWS and the management
     * clusters (the layout `yarn fleet:record` writes, or the demo fleet).
     */
    snapshot?: {
      /** The snapshot folder; relative paths resolve against the backend's working directory. */
      directory: string;
    };
  };
}
