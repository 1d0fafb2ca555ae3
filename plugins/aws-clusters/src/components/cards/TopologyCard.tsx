import { ClusterCardFrame } from '../common/ClusterCardFrame';
import { TopologyDiagram } from '../TopologyDiagram';

/** The current cluster's network as an AWS architecture diagram. */
export function EntityClusterTopologyCard() {
  return (
    <ClusterCardFrame
      title="Cluster topology"
      emptyTitle="No topology known"
      emptyDescription="The cluster's network has not been discovered yet."
      isEmpty={d => !d.topology.vpc && d.topology.subnets.length === 0}
    >
      {d => (
        <TopologyDiagram
          view={d.topology}
          accountName={d.cluster.accountName}
          nodePools={d.nodePools}
        />
      )}
    </ClusterCardFrame>
  );
}
