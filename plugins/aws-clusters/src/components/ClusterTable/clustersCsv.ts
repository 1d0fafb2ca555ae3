import type {
  ClusterSummary,
  IsolationFinding,
} from '@clusterdeck/plugin-aws-clusters-common';
import { decidingVersion } from '../VersionSupport/VersionSupportBadge';

/**
 * One CSV field: quoted when it holds a comma, quote or line break (RFC 4180), and prefixed with
 * an apostrophe when a spreadsheet would read it as a formula.
 */
function field(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const COLUMNS: Array<
  [
    string,
    (
      c: ClusterSummary,
      findings: IsolationFinding[],
    ) => string | number | undefined,
  ]
> = [
  ['ref', c => c.ref],
  ['name', c => c.name],
  ['owner', c => c.owner],
  ['status', c => c.status],
  ['status reason', c => c.statusReason],
  ['kubernetes version', c => c.kubernetesVersion],
  ['release', c => c.release],
  ['version support', c => c.versionSupport?.status],
  [
    'support ends on',
    c => c.versionSupport && decidingVersion(c.versionSupport)?.endsOn,
  ],
  ['flavor', c => c.flavor],
  ['environment', c => c.environment],
  ['account id', c => c.accountId],
  ['account name', c => c.accountName],
  ['region', c => c.region],
  ['management cluster', c => c.managementCluster],
  ['created at', c => c.createdAt],
  ['nodes ready', c => c.nodes.ready],
  ['nodes desired', c => c.nodes.desired],
  ['nodes min', c => c.nodes.min],
  ['nodes max', c => c.nodes.max],
  ['node pools', c => c.nodePools],
  ['cost status', c => c.cost?.status],
  ['cost this month', c => c.cost?.thisMonth?.amount],
  ['cost last month', c => c.cost?.lastMonth?.amount],
  ['cost unit', c => (c.cost?.thisMonth ?? c.cost?.lastMonth)?.unit],
  ['findings', (_, f) => f.length],
  ['finding codes', (_, f) => [...new Set(f.map(x => x.code))].join(' ')],
];

/** The clusters as CSV, one row each with a header row, lines ending in CRLF. */
export function clustersCsv(
  clusters: ClusterSummary[],
  findings: Map<string, IsolationFinding[]> = new Map(),
): string {
  const rows = [
    COLUMNS.map(([title]) => field(title)).join(','),
    ...clusters.map(c =>
      COLUMNS.map(([, value]) =>
        field(value(c, findings.get(c.ref) ?? [])),
      ).join(','),
    ),
  ];
  return `${rows.join('\r\n')}\r\n`;
}
