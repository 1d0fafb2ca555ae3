import type {
  ClusterSummary,
  ConnectCommand,
  ConnectView,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { ClusterdeckConfig } from '@clusterdeck/plugin-aws-clusters-node';

/** The placeholders of `clusterdeck.connect.capiLoginCommand` and the summary field each takes. */
const PLACEHOLDERS: Record<string, (c: ClusterSummary) => string | undefined> =
  {
    name: c => c.name,
    namespace: c => c.namespace,
    managementCluster: c => c.managementCluster,
    organization: c => c.organization ?? c.namespace.replace(/^org-/, ''),
    region: c => c.region,
    accountId: c => c.accountId,
    apiEndpoint: c => c.apiEndpoint,
    baseDomain: c => {
      // The API is served at api.<name>.<base domain> by cluster-aws.
      const host = c.apiEndpoint?.replace(/^https:\/\//, '').split(':')[0];
      const prefix = `api.${c.name}.`;
      return host?.startsWith(prefix) ? host.slice(prefix.length) : undefined;
    },
  };

/** A shell word: quoted unless it is plain. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value)
    ? value
    : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * How to connect to a cluster, from `clusterdeck.connect`: for EKS, `aws eks update-kubeconfig`
 * with the owning team's access role; for Cluster API clusters, the configured login command with
 * its placeholders filled. Every value is quoted for the shell; nothing secret is in it.
 */
export function connectView(
  cluster: ClusterSummary,
  connect: ClusterdeckConfig['connect'],
): ConnectView {
  const documentation = connect?.documentationUrl
    ? { documentationUrl: connect.documentationUrl }
    : {};
  if (cluster.flavor === 'eks') {
    const name = cluster.eksClusterName ?? cluster.name;
    if (!cluster.region)
      return {
        flavor: 'eks',
        commands: [],
        missing: 'The cluster’s region is not known yet.',
        ...documentation,
      };
    const role = connect?.eksAccessRoles?.[cluster.owner];
    const command = [
      'aws eks update-kubeconfig',
      `--name ${shellWord(name)}`,
      `--region ${shellWord(cluster.region)}`,
      ...(role ? [`--role-arn ${shellWord(role)}`] : []),
    ].join(' ');
    return {
      flavor: 'eks',
      commands: [{ label: 'Add the cluster to your kubeconfig', command }],
      ...(role
        ? {}
        : {
            missing: `No access role is configured for ${cluster.owner} (clusterdeck.connect.eksAccessRoles): the command uses your own AWS identity.`,
          }),
      ...documentation,
    };
  }
  const template = connect?.capiLoginCommand;
  if (!template)
    return {
      flavor: 'ec2',
      commands: [],
      missing:
        'The platform team has not configured a login command (clusterdeck.connect.capiLoginCommand).',
      ...documentation,
    };
  const unknown: string[] = [];
  const command = template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = PLACEHOLDERS[key]?.(cluster);
    if (value === undefined) {
      unknown.push(key);
      return whole;
    }
    return shellWord(value);
  });
  const commands: ConnectCommand[] = [
    { label: 'Log in to the cluster', command },
  ];
  return {
    flavor: 'ec2',
    commands,
    ...(unknown.length
      ? {
          missing: `Not known for this cluster: ${unknown
            .map(k => `{${k}}`)
            .join(', ')}.`,
        }
      : {}),
    ...documentation,
  };
}
