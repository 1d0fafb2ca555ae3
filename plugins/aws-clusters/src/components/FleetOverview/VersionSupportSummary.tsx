import { InfoCard, Link } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type { ClusterSummary } from '@clusterdeck/plugin-aws-clusters-common';
import {
  clusterEntityPath,
  supportStatusText,
  useClusterTableQuery,
} from '../ClusterTable';
import { describeVersionSupport } from '../VersionSupport/VersionSupportBadge';
import { useSupportWarnDays } from '../common/useSupportWarnDays';
import { CountChart } from './CountChart';
import {
  supportCounts,
  versionsNearEndOfSupport,
} from './versionSupportSummary';

/** The badge's colours, dark enough for text on white. */
const SUPPORT_COLORS: Record<string, string> = {
  supported: '#1b5e20',
  extended: '#8d6e00',
  'ending-soon': '#bf360c',
  unsupported: '#b71c1c',
  unknown: '#616161',
};

/**
 * The clusters by version support (standard, extended, ending within the configured warning
 * period, past the end), each count a filter of the page, and the versions near or past the end
 * of their support with the clusters that run them.
 */
export function VersionSupportSummary(props: { clusters: ClusterSummary[] }) {
  const query = useClusterTableQuery();
  const warnDays = useSupportWarnDays();
  const selected = query.filters.support ?? [];
  const nearEnd = versionsNearEndOfSupport(props.clusters);
  return (
    <InfoCard
      title="Version support"
      titleTypographyProps={{ component: 'h2' }}
    >
      <CountChart
        title="Clusters by version support"
        counts={supportCounts(props.clusters)}
        selected={selected}
        labelOf={v => supportStatusText(v, warnDays)}
        colorOf={v => SUPPORT_COLORS[v]}
        wrapLabels
        onToggle={value =>
          query.setFilter(
            'support',
            selected.includes(value)
              ? selected.filter(v => v !== value)
              : [...selected, value],
          )
        }
      />
      <Typography variant="h6" component="h3" style={{ marginTop: 16 }}>
        Near or past the end of support
      </Typography>
      {nearEnd.length === 0 ? (
        <Typography variant="body2">
          No version ends its support within {warnDays} days.
        </Typography>
      ) : (
        <Box
          component="ul"
          m={0}
          pl={2}
          aria-label="Versions near or past the end of support"
        >
          {nearEnd.map(({ support, clusters }) => (
            <li key={`${support.kind}:${support.version}`}>
              <Typography variant="body2">
                {describeVersionSupport(support)}
              </Typography>
              <Typography variant="body2" component="div">
                {clusters.map((c, i) => (
                  <span key={c.ref}>
                    {i > 0 && ', '}
                    <Link to={clusterEntityPath(c)} underline="always">
                      {c.name}
                    </Link>
                  </span>
                ))}
              </Typography>
            </li>
          ))}
        </Box>
      )}
    </InfoCard>
  );
}
