import {
  Link,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { ClusterSummary } from '@clusterdeck/plugin-aws-clusters-common';
import useAsync from 'react-use/esm/useAsync';
import { awsClustersApiRef } from '../../api';
import { StaleDataWarning } from '../common/StaleDataWarning';

/** The catalog entity path of a workload cluster: `resource:default/<managementCluster>-<name>`. */
export function clusterEntityPath(cluster: ClusterSummary): string {
  return `/catalog/default/resource/${cluster.managementCluster}-${cluster.name}`;
}

/** The status of a cluster as a coloured status label. */
export function ClusterStatusLabel(props: { cluster: ClusterSummary }) {
  const { status, statusReason } = props.cluster;
  const text = statusReason ? `${status}: ${statusReason}` : status;
  switch (status) {
    case 'ready':
      return <StatusOK>{text}</StatusOK>;
    case 'requested':
    case 'creating':
      return <StatusPending>{text}</StatusPending>;
    case 'deleting':
      return <StatusWarning>{text}</StatusWarning>;
    default:
      return <StatusError>{text}</StatusError>;
  }
}

function columns(showOwner: boolean): TableColumn<ClusterSummary>[] {
  const all: Array<TableColumn<ClusterSummary> | false> = [
    {
      title: 'Name',
      field: 'name',
      highlight: true,
      render: c => <Link to={clusterEntityPath(c)}>{c.name}</Link>,
    },
    showOwner && { title: 'Owner', field: 'owner' },
    { title: 'Management cluster', field: 'managementCluster' },
    {
      title: 'Account',
      field: 'accountName',
      customFilterAndSearch: (term: string, c: ClusterSummary) =>
        `${c.accountName ?? ''} ${c.accountId ?? ''}`
          .toLowerCase()
          .includes(String(term).toLowerCase()),
      render: c =>
        c.accountId ? `${c.accountName ?? ''} (${c.accountId})` : '—',
    },
    { title: 'Environment', field: 'environment' },
    { title: 'Region', field: 'region' },
    { title: 'Flavor', field: 'flavor' },
    { title: 'Kubernetes', field: 'kubernetesVersion' },
    {
      title: 'Status',
      field: 'status',
      render: c => <ClusterStatusLabel cluster={c} />,
    },
    {
      title: 'Nodes',
      field: 'nodes.ready',
      render: c =>
        `${c.nodes.ready}/${c.nodes.desired} (${c.nodes.min}–${c.nodes.max})`,
    },
  ];
  return all.filter((c): c is TableColumn<ClusterSummary> => Boolean(c));
}

/** The clusters the signed-in user may see, optionally of one owner group. */
export function TeamClustersTable(props: {
  owner?: string;
  showOwner?: boolean;
}) {
  const api = useApi(awsClustersApiRef);
  const { value, loading, error } = useAsync(
    () => api.listClusters(props.owner ? { owner: props.owner } : {}),
    [api, props.owner],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const items = value?.items ?? [];
  const showOwner =
    props.showOwner ?? new Set(items.map(c => c.owner)).size > 1;
  return (
    <>
      <StaleDataWarning
        sources={value?.errors ?? []}
        generatedAt={value?.generatedAt}
      />
      <Table<ClusterSummary>
        title="Clusters"
        options={{
          search: true,
          paging: items.length > 20,
          pageSize: 20,
          filtering: false,
        }}
        columns={columns(showOwner)}
        data={items}
        emptyContent={<div style={{ padding: 16 }}>No clusters found.</div>}
      />
    </>
  );
}
