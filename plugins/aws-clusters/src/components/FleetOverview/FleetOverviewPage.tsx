import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Chip, Grid, Typography } from '@material-ui/core';
import type {
  ClusterSummary,
  IsolationFinding,
} from '@clusterdeck/plugin-aws-clusters-common';
import { useLayout } from '../common/layout';
import { StaleDataWarning } from '../common/StaleDataWarning';
import { useFleet } from '../common/useFleet';
import {
  applyFilters,
  ClusterTable,
  clusterEntityPath,
  countBy,
  filtersFor,
  useClusterTableQuery,
} from '../ClusterTable';
import { clustersNeedingAttention } from './attention';
import { CountChart } from './CountChart';
import { TeamCostCard } from '../CostCard';
import { VersionSupportSummary } from './VersionSupportSummary';

/**
 * One chart per filter of the table (version support has a card of its own): each bar is one of
 * the filter's values.
 */
function charts(clusters: ClusterSummary[]) {
  return filtersFor(clusters)
    .filter(f => f.key !== 'support')
    .map(f => ({
      key: f.key,
      title: `By ${f.key === 'version' ? f.title : f.title.toLowerCase()}`,
    }));
}

const STATUS_COLORS: Record<string, string> = {
  ready: '#1b5e20',
  degraded: '#b71c1c',
  creating: '#0d47a1',
  requested: '#4a148c',
  deleting: '#e65100',
};

function Charts(props: { clusters: ClusterSummary[] }) {
  const query = useClusterTableQuery();
  return (
    <Grid container spacing={2}>
      {charts(props.clusters).map(({ key, title }) => {
        // Each chart counts what the other filters admit, so its own values stay choosable.
        const others = applyFilters(props.clusters, {
          ...query.filters,
          [key]: undefined,
        });
        const selected = query.filters[key] ?? [];
        return (
          <Grid item xs={12} sm={6} lg={4} key={key}>
            <InfoCard title={title} titleTypographyProps={{ component: 'h2' }}>
              <CountChart
                title={`Clusters ${title.toLowerCase()}`}
                counts={countBy(others, key)}
                selected={selected}
                colorOf={key === 'status' ? v => STATUS_COLORS[v] : undefined}
                wrapLabels={key === 'cost'}
                onToggle={value =>
                  query.setFilter(
                    key,
                    selected.includes(value)
                      ? selected.filter(v => v !== value)
                      : [...selected, value],
                  )
                }
              />
            </InfoCard>
          </Grid>
        );
      })}
    </Grid>
  );
}

function Attention(props: {
  clusters: ClusterSummary[];
  findings?: Map<string, IsolationFinding[]>;
}) {
  const items = clustersNeedingAttention(props.clusters, props.findings);
  const layout = useLayout();
  return (
    <InfoCard
      title={`Needs attention (${items.length})`}
      titleTypographyProps={{ component: 'h2' }}
      subheader="Degraded, with warning or critical isolation findings, with every pool at its maximum, or running a version near or past the end of its support"
    >
      {items.length === 0 ? (
        <Typography variant="body2">Nothing needs attention.</Typography>
      ) : (
        <ul className={layout.list} aria-label="Clusters that need attention">
          {items.slice(0, 12).map(({ cluster, reasons }) => (
            <li key={cluster.ref}>
              <Link to={clusterEntityPath(cluster)}>{cluster.name}</Link>{' '}
              <Typography variant="caption" color="textSecondary">
                {cluster.managementCluster} · {cluster.owner}
              </Typography>
              <div className={`${layout.words} ${layout.mb1}`}>
                {reasons.map(r => (
                  <Chip
                    key={r.text}
                    size="small"
                    // Long reasons wrap inside the chip instead of running out of the card.
                    label={
                      <span style={{ whiteSpace: 'normal' }}>{r.text}</span>
                    }
                    style={{
                      height: 'auto',
                      maxWidth: '100%',
                      padding: '2px 0',
                      background:
                        r.severity === 'critical' ? '#ffebee' : '#fff3e0',
                      color: r.severity === 'critical' ? '#8e0000' : '#7a3e00',
                    }}
                  />
                ))}
              </div>
            </li>
          ))}
          {items.length > 12 && (
            <Typography variant="caption">
              and {items.length - 12} more: sort the table by status or
              findings.
            </Typography>
          )}
        </ul>
      )}
    </InfoCard>
  );
}

/**
 * The fleet at a glance: counts by status, Kubernetes version, version support, cost (where the
 * fleet has figures), flavor, account, region and management cluster (each a filter), the
 * versions near the end of their support, the clusters that need attention, and every cluster in
 * a sortable table whose filters live in the URL. Admins see the whole fleet, everyone else the
 * clusters of their teams, as the backend scopes them.
 */
export function FleetOverviewPage() {
  const { value, loading, error, findings } = useFleet();
  let body;
  if (loading) body = <Progress />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else {
    const clusters = value?.items ?? [];
    body = (
      <>
        <StaleDataWarning
          sources={value?.errors ?? []}
          generatedAt={value?.generatedAt}
        />
        <ContentHeader
          title={`${clusters.length} cluster${
            clusters.length === 1 ? '' : 's'
          }`}
          description="Press a bar to filter by it"
        />
        <Grid container spacing={2}>
          <Grid item xs={12} lg={8}>
            <Charts clusters={clusters} />
          </Grid>
          <Grid item xs={12} lg={4}>
            <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
              <VersionSupportSummary clusters={clusters} />
              <TeamCostCard />
              <Attention clusters={clusters} findings={findings} />
            </div>
          </Grid>
          <Grid item xs={12}>
            <ClusterTable
              clusters={clusters}
              findings={findings}
              generatedAt={value?.generatedAt}
              title="All clusters"
              csvName="fleet.csv"
            />
          </Grid>
        </Grid>
      </>
    );
  }
  return (
    <Page themeId="tool">
      <Header
        title="Fleet overview"
        subtitle="The workload clusters you may see, across accounts, regions and management clusters"
      />
      <Content>{body}</Content>
    </Page>
  );
}
