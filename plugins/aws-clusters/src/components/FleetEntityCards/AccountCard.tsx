import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useMemo } from 'react';
import { Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';
import {
  CLUSTERDECK_ANNOTATIONS,
  type ClusterSummary,
} from '@clusterdeck/plugin-aws-clusters-common';
import { awsClustersApiRef } from '../../api';
import { useLayout } from '../common/layout';
import { ClusterList } from './ClusterList';

/** The AWS account a catalog entity stands for: an `aws-account` resource with its id annotated. */
export function accountOfEntity(entity: {
  metadata: { annotations?: Record<string, string> };
  spec?: { type?: unknown };
}): string | undefined {
  return entity.spec?.type === 'aws-account'
    ? entity.metadata.annotations?.[CLUSTERDECK_ANNOTATIONS.accountId]
    : undefined;
}

const SEVERITY = {
  info: 'info',
  warning: 'warning',
  critical: 'error',
} as const;

/**
 * An account's clusters per region (those the user may see), VPC and Elastic IP quota headroom
 * per region, access model, who can get in, and the isolation findings that name it.
 */
export function EntityAccountCard() {
  const { entity } = useEntity();
  const api = useApi(awsClustersApiRef);
  const layout = useLayout();
  const id = accountOfEntity(entity) ?? '';
  // The clusters are drawn as soon as they are in; the account's quotas, access and findings
  // (from the boundaries of the whole fleet, a longer answer) when theirs are.
  const clusterState = useAsync(
    async () =>
      // Without an id, a filter would be no filter: an entity naming no account has no clusters.
      id ? (await api.listClusters({ accountId: id })).items : [],
    [api, id],
  );
  const accountState = useAsync(async () => {
    const [accounts, boundaries] = await Promise.all([
      api.listAccounts(),
      api.getBoundaries(),
    ]);
    const placed = boundaries.environments
      .flatMap(e => e.accounts)
      .find(a => a.account.id === id);
    return {
      account: accounts.items.find(a => a.id === id),
      access: placed?.access ?? [],
      findings: boundaries.findings.filter(f => f.subjects.includes(id)),
    };
  }, [api, id]);
  const clusters = clusterState.value;
  const regions = useMemo(() => {
    const byRegion = new Map<string, ClusterSummary[]>();
    for (const c of clusters ?? []) {
      const region = c.region ?? 'unknown';
      const list = byRegion.get(region);
      if (list) list.push(c);
      else byRegion.set(region, [c]);
    }
    return [...byRegion];
  }, [clusters]);
  if (clusterState.loading && accountState.loading)
    return (
      <InfoCard title="AWS account">
        <Progress />
      </InfoCard>
    );
  const about = accountState.value;
  return (
    <InfoCard title="AWS account">
      {accountState.loading && <Progress />}
      {accountState.error && <ResponseErrorPanel error={accountState.error} />}
      {about && (
        <>
          <Typography variant="body2">
            Access model:{' '}
            <strong>{about.account?.accessModel ?? 'not known'}</strong>
            {about.account ? ` · environment ${about.account.environment}` : ''}
          </Typography>
          {about.access.length > 0 && (
            <ul
              className={`${layout.list} ${layout.mt1} ${layout.mb1}`}
              aria-label="Who can get in"
            >
              {about.access.map(a => (
                <li key={`${a.who}-${a.how}`}>
                  {a.who}: {a.how}
                </li>
              ))}
            </ul>
          )}
          {(about.account?.usage ?? []).map(u => (
            <Typography key={u.region} variant="body2">
              {u.region}: {u.vpcs} of {u.quotas.vpcs} VPCs, {u.elasticIps} of{' '}
              {u.quotas.elasticIps} Elastic IPs in use
            </Typography>
          ))}
        </>
      )}
      {clusterState.loading && <Progress />}
      {clusterState.error && <ResponseErrorPanel error={clusterState.error} />}
      {regions.map(([region, inRegion]) => (
        <div key={region} className={layout.mt1}>
          <Typography variant="subtitle2" component="h3">
            {region}
          </Typography>
          <ClusterList clusters={inRegion} />
        </div>
      ))}
      {clusters?.length === 0 && (
        <Typography variant="body2">No clusters you may see.</Typography>
      )}
      {about && about.findings.length > 0 && (
        <div className={layout.mt1}>
          {about.findings.map(f => (
            <Alert
              key={`${f.code}-${f.subjects.join()}`}
              severity={SEVERITY[f.severity]}
            >
              {f.title}
            </Alert>
          ))}
        </div>
      )}
    </InfoCard>
  );
}
