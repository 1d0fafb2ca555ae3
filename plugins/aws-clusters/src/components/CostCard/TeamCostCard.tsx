import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type {
  CostsResponse,
  MonthlyCost,
  TeamCost,
} from '@clusterdeck/plugin-aws-clusters-common';
import useAsync from 'react-use/esm/useAsync';
import { awsClustersApiRef } from '../../api';
import { COST_MISSING } from './CostCard';
import { formatAmount, formatMonth } from './formatCost';

function Amount(props: { cost?: MonthlyCost }) {
  if (!props.cost) return <>—</>;
  return (
    <>
      {formatAmount(props.cost.amount, props.cost.unit)}
      {props.cost.estimated ? ' (estimated)' : ''}
    </>
  );
}

/**
 * The teams' rows: the two latest months Cost Explorer answered for (the current UTC month marked
 * "so far"), and how many of each team's clusters the figures cover.
 */
export function TeamCostTable(props: { teams: TeamCost[]; now?: Date }) {
  const current = (props.now ?? new Date()).toISOString().slice(0, 7);
  const months = [
    ...new Set(props.teams.flatMap(t => t.months.map(m => m.month))),
  ]
    .sort()
    .slice(-2)
    .reverse();
  const teams = [...props.teams].sort((a, b) => a.owner.localeCompare(b.owner));
  return (
    <Table size="small" aria-label="Cost per team">
      <TableHead>
        <TableRow>
          <TableCell>Team</TableCell>
          {months.map(month => (
            <TableCell key={month} align="right">
              {formatMonth(month)}
              {month === current ? ' so far' : ''}
            </TableCell>
          ))}
          <TableCell align="right">Clusters with figures</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {teams.map(team => (
          <TableRow key={team.owner}>
            <TableCell>
              <EntityRefLink entityRef={team.owner} defaultKind="group" />
            </TableCell>
            {months.map(month => (
              <TableCell key={month} align="right">
                <Amount cost={team.months.find(m => m.month === month)} />
              </TableCell>
            ))}
            <TableCell align="right">
              {team.clustersWithCost} of {team.clusters}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function statusLine(costs: CostsResponse): string | undefined {
  if (costs.status !== 'ok') return COST_MISSING[costs.status];
  return costs.message;
}

/**
 * Cost per team and month from `GET /costs` (Cost Explorer grouped by the cluster's
 * cost-allocation tag): every team the caller may see, or one team with `owner`. Nothing is drawn
 * where cost is not configured (the API answers 404).
 */
export function TeamCostCard(props: { owner?: string }) {
  const api = useApi(awsClustersApiRef);
  const { value, loading, error } = useAsync(async () => {
    try {
      return await api.getCosts({ owner: props.owner });
    } catch (e) {
      if (e instanceof ResponseError && e.response.status === 404)
        return undefined;
      throw e;
    }
  }, [api, props.owner]);
  if (!loading && !error && !value) return null;
  let body;
  if (loading) body = <Progress />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else {
    const line = statusLine(value!);
    body = (
      <>
        {line && (
          <Typography variant="body2" color="textSecondary" paragraph>
            {line}
          </Typography>
        )}
        {value!.teams.length > 0 ? (
          <TeamCostTable teams={value!.teams} />
        ) : (
          <Typography variant="body2">No team has clusters here.</Typography>
        )}
      </>
    );
  }
  return (
    <InfoCard
      title={props.owner ? "The team's cost" : 'Cost per team'}
      subheader={
        value?.tagKey
          ? `AWS Cost Explorer, ${value.metric ?? 'cost'} by the tag ${
              value.tagKey
            }`
          : undefined
      }
    >
      {body}
    </InfoCard>
  );
}
