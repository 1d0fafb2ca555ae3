import { CSSProperties, useMemo } from 'react';
import {
  Link,
  StatusError,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  Box,
  Button,
  Checkbox,
  FormControl,
  InputLabel,
  makeStyles,
  ListItemText,
  MenuItem,
  Select,
  Tooltip,
  Typography,
} from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useSearchParams } from 'react-router-dom';
import type {
  ClusterSummary,
  IsolationFinding,
} from '@clusterdeck/plugin-aws-clusters-common';
import {
  ageText,
  applyFilters,
  ClusterFilters,
  countBy,
  FILTERS,
  FilterKey,
  filtersFor,
  filtersFromQuery,
  filterValueText,
  withFilter,
} from './clusterFilters';
import { ClusterStatusCell } from './ClusterStatusCell';
import { costFigure, fleetHasCost } from './lifecycleColumns';
import { VersionSupportBadge } from '../VersionSupport/VersionSupportBadge';
import { formatClusterCost, formatMonth } from '../CostCard/formatCost';
import { useSupportWarnDays } from '../common/useSupportWarnDays';
import { comparator, SortKey, sortClusters } from './clusterSort';
import { clustersCsv } from './clustersCsv';
import { downloadFile } from '../common/downloadFile';

/** The catalog entity path of a workload cluster: `resource:default/<managementCluster>-<name>`. */
export function clusterEntityPath(cluster: ClusterSummary): string {
  return `/catalog/default/resource/${cluster.managementCluster}-${cluster.name}`;
}

/** Read by screen readers, not shown. */
const VISUALLY_HIDDEN: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
};

function FindingsCell(props: { findings: IsolationFinding[] }) {
  const { findings } = props;
  if (findings.length === 0) return <>0</>;
  const titles = findings.map(f => `${f.severity}: ${f.title}`).join('\n');
  const worst =
    (['critical', 'warning'] as const).find(s =>
      findings.some(f => f.severity === s),
    ) ?? 'info';
  const label = `${findings.length} ${worst === 'info' ? '' : `(${worst})`}`;
  return (
    <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{titles}</span>}>
      <span>
        {worst === 'critical' && <StatusError>{label}</StatusError>}
        {worst === 'warning' && <StatusWarning>{label}</StatusWarning>}
        {worst === 'info' && label}
        <span style={VISUALLY_HIDDEN}> findings: {titles}</span>
      </span>
    </Tooltip>
  );
}

/** The figure the Cost card leads with ("$1,240.50 so far"), and the month it is of. */
function CostCell(props: { cluster: ClusterSummary }) {
  const figure = costFigure(props.cluster);
  return (
    <>
      <span>{formatClusterCost(props.cluster.cost)}</span>
      {figure && (
        <Typography variant="caption" component="div">
          {formatMonth(figure.month)}
          {figure.estimated ? ', estimated' : ''}
        </Typography>
      )}
    </>
  );
}

type Column = TableColumn<ClusterSummary> & { id: SortKey };

function columns(options: {
  showOwner: boolean;
  showCost: boolean;
  findings: Map<string, IsolationFinding[]>;
  now: number;
  generatedAt?: string;
}): Column[] {
  const { showOwner, showCost, findings, now, generatedAt } = options;
  const all: Array<Column | false> = [
    {
      id: 'name',
      title: 'Name',
      field: 'name',
      highlight: true,
      render: c => <Link to={clusterEntityPath(c)}>{c.name}</Link>,
      cellStyle: { minWidth: 110 },
    },
    showOwner && { id: 'owner', title: 'Owner', field: 'owner' },
    {
      id: 'status',
      title: 'Status',
      field: 'status',
      render: c => <ClusterStatusCell cluster={c} generatedAt={generatedAt} />,
      // A status's reason can be long: it takes a readable width, cut to a few lines.
      cellStyle: { minWidth: 220, maxWidth: 320 },
    },
    { id: 'version', title: 'Kubernetes', field: 'kubernetesVersion' },
    {
      id: 'support',
      title: 'Version support',
      field: 'versionSupport.status',
      render: c =>
        c.versionSupport ? (
          <VersionSupportBadge support={c.versionSupport} />
        ) : (
          '—'
        ),
    },
    showCost && {
      id: 'cost',
      title: 'Cost',
      field: 'cost.thisMonth.amount',
      render: c => <CostCell cluster={c} />,
      cellStyle: { minWidth: 120 },
    },
    {
      id: 'age',
      title: 'Age',
      field: 'createdAt',
      render: c => (
        <span title={c.createdAt ?? 'creation time not known'}>
          {ageText(c.createdAt, now)}
        </span>
      ),
    },
    {
      id: 'nodes',
      title: 'Nodes',
      field: 'nodes.ready',
      render: c =>
        `${c.nodes.ready}/${c.nodes.desired} (${c.nodes.min}–${c.nodes.max})`,
    },
    { id: 'pools', title: 'Pools', field: 'nodePools', type: 'numeric' },
    {
      id: 'findings',
      title: 'Findings',
      render: c => <FindingsCell findings={findings.get(c.ref) ?? []} />,
    },
    { id: 'environment', title: 'Environment', field: 'environment' },
    {
      id: 'account',
      title: 'Account',
      field: 'accountName',
      render: c =>
        c.accountId ? `${c.accountName ?? ''} (${c.accountId})` : '—',
    },
    { id: 'region', title: 'Region', field: 'region' },
    {
      id: 'managementCluster',
      title: 'Management cluster',
      field: 'managementCluster',
    },
    { id: 'flavor', title: 'Flavor', field: 'flavor' },
  ];
  return all
    .filter((c): c is Column => Boolean(c))
    .map(c => ({
      ...c,
      customSort: comparator(c.id, findings),
      customFilterAndSearch: undefined,
    }));
}

const useStyles = makeStyles(theme => ({
  // The secondary text colour falls short of 4.5:1 on the page's background.
  label: { color: theme.palette.text.primary },
}));

/** A multiple choice of one filter's values, each with how many clusters have it. */
function FilterSelect(props: {
  filter: (typeof FILTERS)[number];
  options: Array<[string, number]>;
  warnDays: number;
  value: string[];
  onChange: (values: string[]) => void;
}) {
  const { filter, options, value } = props;
  const classes = useStyles();
  const id = `cluster-filter-${filter.key}`;
  return (
    <FormControl
      variant="outlined"
      size="small"
      style={{ minWidth: 170, maxWidth: 260 }}
    >
      <InputLabel id={`${id}-label`} className={classes.label}>
        {filter.title}
      </InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        multiple
        value={value}
        label={filter.title}
        onChange={e => props.onChange(e.target.value as string[])}
        renderValue={selected =>
          (selected as string[])
            .map(v => filterValueText(filter.key, v, props.warnDays))
            .join(', ')
        }
      >
        {options.map(([option, count]) => (
          <MenuItem key={option} value={option}>
            <Checkbox size="small" checked={value.includes(option)} />
            <ListItemText
              primary={`${filterValueText(
                filter.key,
                option,
                props.warnDays,
              )} (${count})`}
            />
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/** The filters and sort order of the URL's query, and how to change them. */
export function useClusterTableQuery(): {
  filters: ClusterFilters;
  setFilter: (key: FilterKey, values: string[]) => void;
  clearFilters: () => void;
  sort?: SortKey;
  direction: 'asc' | 'desc';
  setSort: (key: SortKey | undefined, direction: 'asc' | 'desc') => void;
} {
  const [query, setQuery] = useSearchParams();
  const filters = useMemo(() => filtersFromQuery(query), [query]);
  return {
    filters,
    setFilter: (key, values) =>
      setQuery(withFilter(query, key, values), { replace: true }),
    clearFilters: () => {
      const next = new URLSearchParams(query);
      for (const f of FILTERS) next.delete(f.key);
      setQuery(next, { replace: true });
    },
    sort: (query.get('sort') as SortKey | null) ?? undefined,
    direction: query.get('dir') === 'desc' ? 'desc' : 'asc',
    setSort: (key, direction) => {
      const next = new URLSearchParams(query);
      next.delete('sort');
      next.delete('dir');
      if (key) {
        next.set('sort', key);
        next.set('dir', direction);
      }
      setQuery(next, { replace: true });
    },
  };
}

/**
 * Clusters as a sortable table with filters (environment, account, management cluster, status,
 * flavor, region, Kubernetes version, version support and, where the fleet has cost figures,
 * cost) and sort order kept in the URL's query, and a CSV export of the rows shown.
 */
export function ClusterTable(props: {
  clusters: ClusterSummary[];
  findings?: Map<string, IsolationFinding[]>;
  showOwner?: boolean;
  title?: string;
  /** The filters offered; all of {@link FILTERS} by default. */
  filterKeys?: FilterKey[];
  csvName?: string;
  /** When the list was answered: a newer answer reads the provisioning steps again. */
  generatedAt?: string;
}) {
  const { clusters } = props;
  const findings = useMemo(
    () => props.findings ?? new Map<string, IsolationFinding[]>(),
    [props.findings],
  );
  const query = useClusterTableQuery();
  const rows = useMemo(
    () => applyFilters(clusters, query.filters),
    [clusters, query.filters],
  );
  const showOwner =
    props.showOwner ?? new Set(clusters.map(c => c.owner)).size > 1;
  const now = Date.now();
  const warnDays = useSupportWarnDays();
  const cols = columns({
    showOwner,
    showCost: fleetHasCost(clusters),
    findings,
    now,
    generatedAt: props.generatedAt,
  }).map(c =>
    c.id === query.sort ? { ...c, defaultSort: query.direction } : c,
  );
  const offered = filtersFor(clusters).filter(
    f => !props.filterKeys || props.filterKeys.includes(f.key),
  );
  const active = Object.values(query.filters).some(v => v?.length);
  return (
    <>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        mb={2}
        style={{ gap: 12 }}
        role="search"
        aria-label="Filter clusters"
      >
        {offered.map(f => (
          <FilterSelect
            key={f.key}
            filter={f}
            options={countBy(clusters, f.key)}
            warnDays={warnDays}
            value={query.filters[f.key] ?? []}
            onChange={values => query.setFilter(f.key, values)}
          />
        ))}
        {active && (
          <Button size="small" onClick={query.clearFilters}>
            Clear filters
          </Button>
        )}
        <Box flexGrow={1} />
        <Typography variant="body2" aria-live="polite">
          {rows.length} of {clusters.length} clusters
        </Typography>
        <Button
          size="small"
          variant="outlined"
          startIcon={<GetAppIcon />}
          onClick={() =>
            downloadFile(
              clustersCsv(
                sortClusters(rows, query.sort, query.direction, findings),
                findings,
              ),
              'text/csv;charset=utf-8',
              props.csvName ?? 'clusters.csv',
            )
          }
        >
          Download CSV
        </Button>
      </Box>
      <Table<ClusterSummary>
        title={props.title ?? 'Clusters'}
        options={{
          search: true,
          sorting: true,
          paging: rows.length > 20,
          pageSize: 20,
          filtering: false,
          padding: 'dense',
          // Dragging columns makes each sortable header's title a focusable handle inside the
          // sort button: a control within a control for keyboards and screen readers.
          draggable: false,
        }}
        columns={cols}
        data={rows}
        onOrderChange={(index, direction) =>
          query.setSort(
            index >= 0 ? cols[index]?.id : undefined,
            direction === 'desc' ? 'desc' : 'asc',
          )
        }
        emptyContent={<div style={{ padding: 16 }}>No clusters found.</div>}
      />
    </>
  );
}
