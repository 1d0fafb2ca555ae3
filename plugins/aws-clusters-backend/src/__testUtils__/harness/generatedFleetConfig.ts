import {
  GENERATED_REGIONS,
  GenerateFleetOptions,
  syntheticAccountId,
} from '@clusterdeck/demo-fleet';

/** The teams of generated fleets, in the order `generateFleet` assigns them to clusters. */
export const GENERATED_TEAMS = [
  'payments',
  'search',
  'data-platform',
  'web',
  'platform',
] as const;

/** The group that sees every team's clusters in the configurations below; no cluster belongs to it. */
export const ADMIN_GROUP = 'group:default/fleet-admins';

/**
 * The `clusterdeck` configuration block that matches a fleet from `generateFleet`: every
 * generated account (odd ones production, even ones development), the management cluster of each
 * region, the organizations and a CIDR pool outside the fleet's own 10.0.0.0/8.
 *
 * `generateFleet` gives cluster `i` the team `i % 5` and the account `1 + i % accounts`; with a
 * multiple of five accounts, each account therefore holds one team's clusters only, and is
 * configured as that team's alone, so that "another team's account" is well defined.
 */
export function generatedFleetConfig(
  options: Pick<GenerateFleetOptions, 'accounts' | 'regions'>,
) {
  const regions = GENERATED_REGIONS.slice(0, options.regions ?? 3);
  const accounts = Array.from({ length: options.accounts }, (_, i) => {
    const production = (i + 1) % 2 === 1;
    const owners =
      options.accounts % GENERATED_TEAMS.length === 0
        ? [`group:default/${GENERATED_TEAMS[i % GENERATED_TEAMS.length]}`]
        : GENERATED_TEAMS.map(t => `group:default/${t}`);
    return {
      id: syntheticAccountId(i + 1),
      name: `account-${i + 1}`,
      environment: production ? 'production' : 'development',
      owners,
      accessModel: production ? 'audited-no-access' : 'developer-debug',
      regions,
    };
  });
  return {
    adminGroups: [ADMIN_GROUP],
    accounts,
    managementClusters: regions.map(region => ({
      name: `mc-${region}`,
      region,
      accountId: syntheticAccountId(1),
      baseDomain: `${region}.example.com`,
    })),
    organizations: Object.fromEntries(
      GENERATED_TEAMS.map(t => [t, `group:default/${t}`]),
    ),
    cidrPools: [
      {
        name: 'transit',
        cidr: '172.16.0.0/12',
        prefixLength: 20,
        description: 'Blocks routed through the transit gateway',
      },
    ],
  };
}

/** The account a team owns in {@link generatedFleetConfig} with a multiple of five accounts. */
export function accountOfTeam(team: (typeof GENERATED_TEAMS)[number]): string {
  return syntheticAccountId(1 + GENERATED_TEAMS.indexOf(team));
}

/**
 * A cluster request of a team on the first region's management cluster of
 * {@link generatedFleetConfig} (five accounts or a multiple of five), in the team's own account
 * unless another is given.
 */
export function teamClusterRequest(
  team: (typeof GENERATED_TEAMS)[number],
  name: string,
  accountId = accountOfTeam(team),
) {
  return {
    apiVersion: 'clusterdeck.io/v1alpha1',
    kind: 'ClusterRequest',
    metadata: { name, organization: team, owner: `group:default/${team}` },
    spec: {
      managementCluster: `mc-${GENERATED_REGIONS[0]}`,
      release: '31.1.0',
      flavor: 'ec2',
      region: GENERATED_REGIONS[0],
      account: { id: accountId, roleIdentity: `account-${accountId}` },
      network: {
        vpc: { mode: 'create', cidr: '172.20.0.0/16' },
        availabilityZones: 2,
      },
      nodePools: [
        {
          name: 'def00',
          type: 'asg',
          instanceType: 'm6i.large',
          minSize: 2,
          maxSize: 5,
        },
      ],
    },
  };
}
