import type {
  AwsRegionSnapshot,
  FleetSnapshot,
  KubeObject,
  ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import { exampleRequests } from '@clusterdeck/test-utils';
import type { ClusterRequestInput } from '@clusterdeck/plugin-aws-clusters-common';
import type { FleetDefinition } from '../fleetDefinition';

/** Tags as a map, whichever way the resource carries them. */
export function tags(
  resource:
    | { Tags?: Array<{ Key?: string; Value?: string }> }
    | { tags?: Record<string, string> },
): Record<string, string> {
  if ('tags' in resource && resource.tags) return resource.tags;
  const list = ('Tags' in resource ? resource.Tags : undefined) ?? [];
  return Object.fromEntries(list.map(t => [t.Key ?? '', t.Value ?? '']));
}

/** Every object of every kind of a management cluster. */
export function allObjects(mc: ManagementClusterSnapshot): KubeObject[] {
  return Object.values(mc.objects).flat();
}

/** The region snapshot a workload cluster's infrastructure object points at. */
export function regionOf(
  fleet: FleetSnapshot,
  mc: ManagementClusterSnapshot,
  infra: KubeObject,
): AwsRegionSnapshot {
  const identity = mc.objects.awsClusterRoleIdentities.find(
    i => i.metadata.name === infra.spec.identityRef.name,
  );
  const accountId = /::(\d{12}):/.exec(identity?.spec.roleARN ?? '')?.[1];
  const region = fleet.aws.find(
    r => r.accountId === accountId && r.region === infra.spec.region,
  );
  if (!region) throw new Error(`no region snapshot for ${infra.metadata.name}`);
  return region;
}

/** The infrastructure object that holds a cluster's network: AWSCluster, or the EKS control plane. */
export function infrastructureOf(
  mc: ManagementClusterSnapshot,
  cluster: KubeObject,
): KubeObject {
  const ref =
    cluster.spec.controlPlaneRef.kind === 'AWSManagedControlPlane'
      ? cluster.spec.controlPlaneRef
      : cluster.spec.infrastructureRef;
  const list =
    ref.kind === 'AWSManagedControlPlane'
      ? mc.objects.awsManagedControlPlanes
      : mc.objects.awsClusters;
  const found = list.find(
    o =>
      o.metadata.name === ref.name &&
      o.metadata.namespace === cluster.metadata.namespace,
  );
  if (!found) throw new Error(`no ${ref.kind} for ${cluster.metadata.name}`);
  return found;
}

/** An example request from `examples/requests`, by file name, with changes applied. */
export function exampleRequest(
  file: string,
  change: (request: any) => void = () => {},
): ClusterRequestInput {
  const found = exampleRequests().find(r => r.file === file);
  if (!found) throw new Error(`no example request ${file}`);
  const request = structuredClone(found.request) as any;
  change(request);
  return request;
}

/** A one-MC, two-account fleet around the given scenarios, for focused tests. */
export function smallFleet(
  clusters: FleetDefinition['clusters'],
): FleetDefinition {
  return {
    accounts: [
      { id: '123456789012', regions: ['eu-west-1'] },
      { id: '444455556666', regions: ['eu-central-1'] },
    ],
    managementClusters: [
      {
        name: 'mc-eu-prod',
        accountId: '111122223333',
        region: 'eu-west-1',
        baseDomain: 'eu-prod.example.com',
      },
      {
        name: 'mc-eu-dev',
        accountId: '111122223333',
        region: 'eu-central-1',
        baseDomain: 'eu-dev.example.com',
      },
    ],
    roleIdentities: [
      { name: 'payments-prod', accountId: '123456789012' },
      { name: 'data-prod', accountId: '123456789012' },
      { name: 'search-prod', accountId: '123456789012' },
      {
        name: 'dev-shared',
        accountId: '444455556666',
        allowedNamespaces: ['org-payments', 'org-web'],
      },
    ],
    organizations: ['payments', 'web', 'data-platform', 'search'],
    clusters,
  };
}
