import {
  Link,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import type { ClusterSummary } from '@clusterdeck/plugin-aws-clusters-common';
import { awsClustersApiRef } from '../../api';
import { provisioningPath } from '../Provisioning/provisioningLink';

/** A cluster's status with the reason it is not ready, as a sentence, cut after `maxLength`. */
function statusText(cluster: ClusterSummary, maxLength?: number): string {
  const { status, statusReason } = cluster;
  const text = statusReason ? `${status}: ${statusReason}` : status;
  return maxLength && text.length > maxLength
    ? `${text.slice(0, maxLength - 1).trimEnd()}…`
    : text;
}

/** The status of a cluster as a coloured status label, with the reason it is not ready. */
export function ClusterStatusLabel(props: {
  cluster: ClusterSummary;
  /** Cut the text after this many characters. */
  maxLength?: number;
}) {
  const { status } = props.cluster;
  const text = statusText(props.cluster, props.maxLength);
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

/** How much of a status and its reason a table cell shows; its tooltip holds all of it. */
const TABLE_REASON_LENGTH = 120;

/** The statuses whose row links to the cluster's provisioning (or deletion) timeline. */
const IN_PROGRESS = new Set(['requested', 'creating', 'deleting']);

/** The step a cluster waits on, from its provisioning timeline; nothing when it cannot be read. */
function useCurrentStep(
  cluster: ClusterSummary,
  generatedAt?: string,
): string | undefined {
  const api = useApi(awsClustersApiRef);
  const { managementCluster, namespace, name, status, statusReason } = cluster;
  const { value } = useAsync(async () => {
    const timeline = await api.getProvisioning({
      managementCluster,
      namespace,
      name,
    });
    return (
      timeline.blocking?.title ??
      timeline.steps.find(s => s.state !== 'done')?.title
    );
    // The list's answer time makes a refetched list (after a signal) read the step again.
  }, [
    api,
    managementCluster,
    namespace,
    name,
    status,
    statusReason,
    generatedAt,
  ]);
  return value;
}

function InProgressStatus(props: {
  cluster: ClusterSummary;
  generatedAt?: string;
}) {
  const step = useCurrentStep(props.cluster, props.generatedAt);
  return (
    <>
      <Link
        to={provisioningPath(props.cluster)}
        underline="always"
        title={`The provisioning timeline of ${props.cluster.name}`}
        // Backstage's status labels are hidden from assistive technology: name the link by them.
        aria-label={statusText(props.cluster, TABLE_REASON_LENGTH)}
      >
        <ClusterStatusLabel
          cluster={props.cluster}
          maxLength={TABLE_REASON_LENGTH}
        />
      </Link>
      {step && (
        <Typography variant="caption" component="div">
          step: {step}
        </Typography>
      )}
    </>
  );
}

/**
 * A table's status cell: the status with its reason; a cluster being requested, created or
 * deleted links to its provisioning timeline and names the step it is on.
 */
export function ClusterStatusCell(props: {
  cluster: ClusterSummary;
  generatedAt?: string;
}) {
  return (
    <div title={statusText(props.cluster)}>
      {IN_PROGRESS.has(props.cluster.status) ? (
        <InProgressStatus {...props} />
      ) : (
        <ClusterStatusLabel
          cluster={props.cluster}
          maxLength={TABLE_REASON_LENGTH}
        />
      )}
    </div>
  );
}
