import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  MANAGEMENT_CLUSTER_KINDS,
  ManagementClusterKind,
} from '@clusterdeck/plugin-aws-clusters-node';
import type { FakeApiGroup } from './FakeKubeApiServer';

const kind = (key: ManagementClusterKind) => {
  const { plural, kind: k, namespaced } = MANAGEMENT_CLUSTER_KINDS[key];
  return { plural, kind: k, namespaced };
};

/**
 * The groups of a management cluster as the reference CRDs serve them: Cluster API in v1beta2
 * (preferred) and v1beta1, CAPA in v1beta2 with Karpenter's machine pools in v1alpha1 of the
 * same group, Giant Swarm's organizations and releases in v1alpha1.
 */
export function managementClusterGroups(): FakeApiGroup[] {
  return [
    {
      name: 'cluster.x-k8s.io',
      preferredVersion: 'v1beta2',
      versions: {
        v1beta2: [kind('clusters'), kind('machinePools')],
        v1beta1: [kind('clusters'), kind('machinePools')],
      },
    },
    {
      name: 'infrastructure.cluster.x-k8s.io',
      preferredVersion: 'v1beta2',
      versions: {
        v1beta2: [
          kind('awsClusters'),
          kind('awsMachinePools'),
          kind('awsManagedMachinePools'),
          kind('awsClusterRoleIdentities'),
        ],
        v1alpha1: [kind('karpenterMachinePools')],
      },
    },
    {
      name: 'controlplane.cluster.x-k8s.io',
      preferredVersion: 'v1beta2',
      versions: { v1beta2: [kind('awsManagedControlPlanes')] },
    },
    {
      name: 'security.giantswarm.io',
      preferredVersion: 'v1alpha1',
      versions: { v1alpha1: [kind('organizations')] },
    },
    {
      name: 'release.giantswarm.io',
      preferredVersion: 'v1alpha1',
      versions: { v1alpha1: [kind('releases')] },
    },
  ];
}

/** `count` objects of one kind, named `<prefix>-<n>`, with the bookkeeping a real server adds. */
export function fixtureObjects(
  key: ManagementClusterKind,
  count: number,
  prefix = key.toLowerCase(),
): any[] {
  const { namespaced } = MANAGEMENT_CLUSTER_KINDS[key];
  return Array.from({ length: count }, (_, i) => ({
    metadata: {
      name: `${prefix}-${i}`,
      ...(namespaced ? { namespace: `org-team-${i % 3}` } : {}),
      uid: `${key}-${i}`,
      labels: { 'cluster.x-k8s.io/cluster-name': `wc-${i}` },
      managedFields: [
        {
          manager: 'capa-controller-manager',
          operation: 'Update',
          fieldsV1: { 'f:spec': {} },
        },
      ],
    },
    spec: { index: i },
  }));
}

/** Fixture objects for every kind: `counts[key]` of each (default 2), keyed as the fake server wants them. */
export function fixtureObjectsByResource(
  counts: Partial<Record<ManagementClusterKind, number>> = {},
): Record<string, any[]> {
  return Object.fromEntries(
    (Object.keys(MANAGEMENT_CLUSTER_KINDS) as ManagementClusterKind[]).map(
      key => {
        const { group, plural } = MANAGEMENT_CLUSTER_KINDS[key];
        return [`${group}/${plural}`, fixtureObjects(key, counts[key] ?? 2)];
      },
    ),
  );
}

/**
 * Orders versions as the API server picks a group's preferred version: GA before beta before
 * alpha, then the higher major and minor number first.
 */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const levels: Record<string, number> = { alpha: 1, beta: 2 };
    const level = m[2] ? levels[m[2]] : 3;
    return [level, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i] - x[i];
  return 0;
}

/** The groups the CRDs in `<referenceDir>/crd` serve, with the preferred version the API server would pick. */
export function groupsFromReferenceCrds(referenceDir: string): FakeApiGroup[] {
  const dir = path.join(referenceDir, 'crd');
  const groups = new Map<string, FakeApiGroup>();
  for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(
      fs.readFileSync(path.join(dir, file), 'utf8'),
    )) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const { group, names, scope, versions } = crd.spec;
      const entry: FakeApiGroup = groups.get(group) ?? {
        name: group,
        preferredVersion: '',
        versions: {},
      };
      for (const v of versions as Array<{ name: string; served: boolean }>) {
        if (!v.served) continue;
        (entry.versions[v.name] ??= []).push({
          plural: names.plural,
          kind: names.kind,
          namespaced: scope === 'Namespaced',
        });
      }
      groups.set(group, entry);
    }
  }
  return [...groups.values()]
    .filter(g => Object.keys(g.versions).length > 0)
    .map(g => ({
      ...g,
      preferredVersion: Object.keys(g.versions).sort(compareKubeVersions)[0],
    }));
}
