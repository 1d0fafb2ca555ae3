import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import {
  DescribeLoadBalancersCommand as DescribeClassicLoadBalancersCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  FleetSnapshot,
  KubeObject,
} from '@clusterdeck/plugin-aws-clusters-node';
import pLimit from 'p-limit';
import { benchCredentials } from './awsAnswerer';
import type { ManagementClusterServer } from './managementClusterServer';

/*
 * The way per-cluster plugins show a fleet: what one view of the fleet costs when every cluster
 * is an entity whose page fetches its own data, per cluster, every time the view is shown.
 *
 * Kubernetes side, as the Backstage Kubernetes plugin fans out for an entity: one list request
 * per object kind it is configured to show, in the cluster's namespace, with the entity's label
 * selector (`backstage.io/kubernetes-label-selector: cluster.x-k8s.io/cluster-name=<name>`). The
 * kinds are the seven per-cluster kinds the collector reads (Cluster, AWSCluster,
 * AWSManagedControlPlane, MachinePool, AWSMachinePool, AWSManagedMachinePool,
 * KarpenterMachinePool); the plugin asks for every configured kind, not only those of the
 * cluster's flavour. Counted generously in the plugin's favour: only the management cluster the
 * entity names is asked (`backstage.io/kubernetes-cluster`), none of the plugin's built-in
 * object types (pods, services, deployments, ...: `kubernetes.objectTypes: [customresources]`),
 * no periodic re-fetch while the page stays open.
 *
 * AWS side, as a per-entity AWS card does it (Roadie-style, in the cluster's account and
 * region): the cluster's VPC (by CAPA's cluster tag), the VPC's subnets, its Auto Scaling groups
 * (by tag) or its EKS cluster and node groups, and the load balancers of the region (neither
 * load-balancer API filters by VPC or tag on the server). Not counted, though the topology card
 * shows them: route tables, gateways, instances and load-balancer tags.
 *
 * Every call is a real call against the same answerers as the refresh, under the same
 * concurrency limits.
 */

export interface NaiveBaselineOptions {
  snapshot: FleetSnapshot;
  servers: ManagementClusterServer[];
  token: string;
  /** Calls in flight at once across everything, per account, and per management cluster. */
  concurrency: number;
  concurrencyPerAccount: number;
  concurrencyPerManagementCluster: number;
}

export interface NaiveViewResult {
  clusters: number;
  durationMs: number;
  failures: number;
}

/** The per-cluster kinds, as `group/version/namespaces/{ns}/plural`: Cluster and the infrastructure kinds first. */
const PER_CLUSTER_KINDS = [
  'cluster.x-k8s.io/v1beta2/namespaces/{ns}/clusters',
  'infrastructure.cluster.x-k8s.io/v1beta2/namespaces/{ns}/awsclusters',
  'controlplane.cluster.x-k8s.io/v1beta2/namespaces/{ns}/awsmanagedcontrolplanes',
  'cluster.x-k8s.io/v1beta2/namespaces/{ns}/machinepools',
  'infrastructure.cluster.x-k8s.io/v1beta2/namespaces/{ns}/awsmachinepools',
  'infrastructure.cluster.x-k8s.io/v1beta2/namespaces/{ns}/awsmanagedmachinepools',
  'infrastructure.cluster.x-k8s.io/v1alpha1/namespaces/{ns}/karpentermachinepools',
];

const CAPA_CLUSTER_TAG = (name: string) =>
  `sigs.k8s.io/cluster-api-provider-aws/cluster/${name}`;

async function paginate<T>(
  fetchPage: (token?: string) => Promise<{ items: T[]; next?: string }>,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const { items, next } = await fetchPage(token);
    all.push(...items);
    token = next;
  } while (token);
  return all;
}

/** One view of the fleet the naive way: every cluster fetched, per cluster. */
export async function naiveFleetView(
  options: NaiveBaselineOptions,
): Promise<NaiveViewResult> {
  const global = pLimit(options.concurrency);
  const perAccount = new Map<string, ReturnType<typeof pLimit>>();
  const perMc = new Map<string, ReturnType<typeof pLimit>>();
  const accountLimit = (id: string) =>
    perAccount.get(id) ??
    perAccount.set(id, pLimit(options.concurrencyPerAccount)).get(id)!;
  const mcLimit = (name: string) =>
    perMc.get(name) ??
    perMc.set(name, pLimit(options.concurrencyPerManagementCluster)).get(name)!;
  const aws = <T>(account: string, fn: () => Promise<T>) =>
    accountLimit(account)(() => global(fn));
  const clients = new Map<string, any>();
  const client = <C>(
    Kind: new (config: any) => C,
    account: string,
    region: string,
  ): C => {
    const key = `${Kind.name}/${account}/${region}`;
    if (!clients.has(key))
      clients.set(
        key,
        new Kind({
          region,
          credentials: benchCredentials(account),
          maxAttempts: 1,
        }),
      );
    return clients.get(key);
  };
  const servers = new Map(options.servers.map(s => [s.name, s]));
  const kube = async (mc: string, path: string): Promise<any> =>
    mcLimit(mc)(async () => {
      const res = await fetch(`${servers.get(mc)!.url}${path}`, {
        headers: { authorization: `Bearer ${options.token}` },
      });
      if (!res.ok) throw new Error(`${mc} ${path}: ${res.status}`);
      return res.json();
    });

  // What the catalog tells a per-cluster plugin: each cluster, its management cluster, account and region.
  const identities = new Map<string, string>();
  for (const mc of options.snapshot.managementClusters) {
    for (const identity of mc.objects.awsClusterRoleIdentities) {
      const account = /::(\d{12}):/.exec(identity.spec?.roleARN ?? '')?.[1];
      if (account)
        identities.set(`${mc.name}/${identity.metadata.name}`, account);
    }
  }
  const targets = options.snapshot.managementClusters.flatMap(mc => {
    const infra = new Map<string, KubeObject>(
      [...mc.objects.awsClusters, ...mc.objects.awsManagedControlPlanes].map(
        o => [`${o.metadata.namespace}/${o.kind}/${o.metadata.name}`, o],
      ),
    );
    return mc.objects.clusters.map(cluster => {
      const ref =
        cluster.spec?.controlPlaneRef?.kind === 'AWSManagedControlPlane'
          ? cluster.spec.controlPlaneRef
          : cluster.spec?.infrastructureRef;
      const object = infra.get(
        `${cluster.metadata.namespace}/${ref?.kind}/${ref?.name}`,
      );
      return {
        mc: mc.name,
        namespace: cluster.metadata.namespace!,
        name: cluster.metadata.name,
        region: object?.spec?.region as string | undefined,
        account: identities.get(
          `${mc.name}/${object?.spec?.identityRef?.name}`,
        ),
      };
    });
  });

  let failures = 0;
  const started = performance.now();
  await Promise.all(
    targets.map(async t => {
      try {
        const selector = `labelSelector=${encodeURIComponent(
          `cluster.x-k8s.io/cluster-name=${t.name}`,
        )}`;
        const [clusters, awsClusters, controlPlanes] = await Promise.all(
          PER_CLUSTER_KINDS.map(kind =>
            kube(
              t.mc,
              `/apis/${kind}`.replace('{ns}', t.namespace) + `?${selector}`,
            ).then(l => l.items ?? []),
          ),
        );
        const cluster = clusters.find((c: any) => c.metadata.name === t.name);
        if (!cluster) throw new Error(`no Cluster ${t.name} listed`);
        const infraRef =
          cluster.spec?.controlPlaneRef?.kind === 'AWSManagedControlPlane'
            ? cluster.spec.controlPlaneRef
            : cluster.spec.infrastructureRef;
        const infrastructure = [...awsClusters, ...controlPlanes].find(
          (o: any) =>
            o.kind === infraRef.kind && o.metadata.name === infraRef.name,
        );
        if (!infrastructure)
          throw new Error(`no ${infraRef.kind} ${infraRef.name} listed`);
        if (!t.account || !t.region) return;
        const { account, region } = t;
        const ec2 = client(EC2Client, account, region);
        const vpcs = await aws(account, () =>
          ec2.send(
            new DescribeVpcsCommand({
              Filters: [
                {
                  Name: `tag:${CAPA_CLUSTER_TAG(t.name)}`,
                  Values: ['owned', 'shared'],
                },
              ],
            }),
          ),
        );
        const vpcId =
          infrastructure.spec?.network?.vpc?.id ?? vpcs.Vpcs?.[0]?.VpcId;
        const nodes =
          infraRef.kind === 'AWSManagedControlPlane'
            ? (async () => {
                const eks = client(EKSClient, account, region);
                const eksName = infrastructure.spec?.eksClusterName ?? t.name;
                await aws(account, () =>
                  eks.send(new DescribeClusterCommand({ name: eksName })),
                );
                const groups = await paginate(async token => {
                  const out = await aws(account, () =>
                    eks.send(
                      new ListNodegroupsCommand({
                        clusterName: eksName,
                        nextToken: token,
                      }),
                    ),
                  );
                  return { items: out.nodegroups ?? [], next: out.nextToken };
                });
                await Promise.all(
                  groups.map(g =>
                    aws(account, () =>
                      eks.send(
                        new DescribeNodegroupCommand({
                          clusterName: eksName,
                          nodegroupName: g,
                        }),
                      ),
                    ),
                  ),
                );
              })()
            : paginate(async token => {
                const asg = client(AutoScalingClient, account, region);
                const out = await aws(account, () =>
                  asg.send(
                    new DescribeAutoScalingGroupsCommand({
                      Filters: [
                        { Name: 'tag-key', Values: [CAPA_CLUSTER_TAG(t.name)] },
                      ],
                      NextToken: token,
                    }),
                  ),
                );
                return {
                  items: out.AutoScalingGroups ?? [],
                  next: out.NextToken,
                };
              });
        await Promise.all([
          nodes,
          vpcId &&
            aws(account, () =>
              ec2.send(
                new DescribeSubnetsCommand({
                  Filters: [{ Name: 'vpc-id', Values: [vpcId] }],
                }),
              ),
            ),
          paginate(async marker => {
            const elbv2 = client(ElasticLoadBalancingV2Client, account, region);
            const out = await aws(account, () =>
              elbv2.send(new DescribeLoadBalancersCommand({ Marker: marker })),
            );
            return {
              items: (out.LoadBalancers ?? []).filter(lb => lb.VpcId === vpcId),
              next: out.NextMarker,
            };
          }),
          paginate(async marker => {
            const elb = client(ElasticLoadBalancingClient, account, region);
            const out = await aws(account, () =>
              elb.send(
                new DescribeClassicLoadBalancersCommand({ Marker: marker }),
              ),
            );
            return {
              items: (out.LoadBalancerDescriptions ?? []).filter(
                lb => lb.VPCId === vpcId,
              ),
              next: out.NextMarker,
            };
          }),
        ]);
      } catch (error) {
        failures++;
        if (failures <= 3)
          console.error(
            `naive view: ${t.mc}/${t.namespace}/${t.name}: ${
              (error as Error).message
            }`,
          );
      }
    }),
  );
  return {
    clusters: targets.length,
    durationMs: performance.now() - started,
    failures,
  };
}
