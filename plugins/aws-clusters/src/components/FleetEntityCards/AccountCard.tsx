import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';
import { CLUSTERDECK_ANNOTATIONS } from '@clusterdeck/plugin-aws-clusters-common';
import { awsClustersApiRef } from '../../api';
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
  const id = accountOfEntity(entity) ?? '';
  const state = useAsync(async () => {
    const [clusters, accounts, boundaries] = await Promise.all([
      api.listClusters(),
      api.listAccounts(),
      api.getBoundaries(),
    ]);
    const placed = boundaries.environments
      .flatMap(e => e.accounts)
      .find(a => a.account.id === id);
    return {
      clusters: clusters.items.filter(c => c.accountId === id),
      account: accounts.items.find(a => a.id === id),
      access: placed?.access ?? [],
      findings: boundaries.findings.filter(f => f.subjects.includes(id)),
    };
  }, [api, id]);
  let body;
  if (state.loading) body = <Progress />;
  else if (state.error) body = <ResponseErrorPanel error={state.error} />;
  else {
    const { clusters, account, access, findings } = state.value!;
    const regions = [...new Set(clusters.map(c => c.region ?? 'unknown'))];
    body = (
      <>
        <Typography variant="body2">
          Access model: <strong>{account?.accessModel ?? 'not known'}</strong>
          {account ? ` · environment ${account.environment}` : ''}
        </Typography>
        {access.length > 0 && (
          <Box component="ul" pl={2} my={1} aria-label="Who can get in">
            {access.map(a => (
              <li key={`${a.who}-${a.how}`}>
                {a.who}: {a.how}
              </li>
            ))}
          </Box>
        )}
        {(account?.usage ?? []).map(u => (
          <Typography key={u.region} variant="body2">
            {u.region}: {u.vpcs} of {u.quotas.vpcs} VPCs, {u.elasticIps} of{' '}
            {u.quotas.elasticIps} Elastic IPs in use
          </Typography>
        ))}
        {regions.map(region => (
          <Box key={region} mt={1}>
            <Typography variant="subtitle2" component="h3">
              {region}
            </Typography>
            <ClusterList
              clusters={clusters.filter(
                c => (c.region ?? 'unknown') === region,
              )}
            />
          </Box>
        ))}
        {clusters.length === 0 && (
          <Typography variant="body2">No clusters you may see.</Typography>
        )}
        <Box mt={1}>
          {findings.map(f => (
            <Alert
              key={`${f.code}-${f.subjects.join()}`}
              severity={SEVERITY[f.severity]}
            >
              {f.title}
            </Alert>
          ))}
        </Box>
      </>
    );
  }
  return <InfoCard title="AWS account">{body}</InfoCard>;
}
