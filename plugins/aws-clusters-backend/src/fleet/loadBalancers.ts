import type { LoadBalancerView } from '@clusterdeck/plugin-aws-clusters-common';
import type { VpcResources } from './regionIndex';
import { CAPA_ROLE_TAG, SERVICE_NAME_TAG, tagMap } from './tags';

const CAPA_CLUSTER_TAG = 'sigs.k8s.io/cluster-api-provider-aws/cluster/';
const KUBERNETES_CLUSTER_TAG = 'kubernetes.io/cluster/';
/** The AWS Load Balancer Controller's tags: its cluster, and the Service or Ingress (group) a balancer is for. */
export const LBC_TAGS = {
  cluster: 'elbv2.k8s.aws/cluster',
  serviceStack: 'service.k8s.aws/stack',
  ingressStack: 'ingress.k8s.aws/stack',
} as const;

type V2 = VpcResources['loadBalancers'][number];
type Classic = VpcResources['classicLoadBalancers'][number];

/** Who made a load balancer and what it serves, read from its tags; undefined when it is not the cluster's. */
export function loadBalancerOwner(
  tags: Record<string, string>,
  names: string[],
): Pick<LoadBalancerView, 'controller' | 'backend' | 'target'> | undefined {
  const capa = names.some(n => tags[`${CAPA_CLUSTER_TAG}${n}`] !== undefined);
  if (capa && tags[CAPA_ROLE_TAG] === 'apiserver') {
    return { controller: 'capa', target: 'apiserver' };
  }
  if (
    tags[LBC_TAGS.cluster] !== undefined &&
    names.includes(tags[LBC_TAGS.cluster])
  ) {
    const service = tags[LBC_TAGS.serviceStack];
    const ingress = tags[LBC_TAGS.ingressStack];
    if (service)
      return {
        controller: 'aws-load-balancer-controller',
        backend: { kind: 'Service', name: service },
        target: service,
      };
    if (ingress) {
      // An ingress group's stack is the group's name; a single Ingress's is namespace/name.
      const kind = ingress.includes('/') ? 'Ingress' : 'IngressGroup';
      return {
        controller: 'aws-load-balancer-controller',
        backend: { kind, name: ingress },
        target: ingress,
      };
    }
    return { controller: 'aws-load-balancer-controller', target: 'unknown' };
  }
  const cloudProvider = names.some(
    n => tags[`${KUBERNETES_CLUSTER_TAG}${n}`] !== undefined,
  );
  if (cloudProvider || capa) {
    const service = tags[SERVICE_NAME_TAG];
    return {
      controller: cloudProvider ? 'cloud-provider' : 'capa',
      ...(service
        ? { backend: { kind: 'Service' as const, name: service } }
        : {}),
      target: service ?? 'unknown',
    };
  }
  return undefined;
}

/**
 * The load balancers of a cluster in its VPC, whichever controller made them: CAPA's API server
 * balancer, the Kubernetes cloud provider's (`kubernetes.io/cluster/<name>`), and the AWS Load
 * Balancer Controller's (`elbv2.k8s.aws/cluster`). `names` are the names the cluster goes by
 * (its Cluster name and, on EKS, the EKS cluster's).
 */
export function clusterLoadBalancers(
  vpc: VpcResources,
  names: string[],
): Array<LoadBalancerView & { raw: V2 | Classic }> {
  const v2 = vpc.loadBalancers.flatMap(lb => {
    const owner = loadBalancerOwner(tagMap(lb.Tags), names);
    if (!owner) return [];
    return [
      {
        name: lb.LoadBalancerName ?? '',
        arn: lb.LoadBalancerArn,
        type: (lb.Type ?? 'application') as LoadBalancerView['type'],
        scheme: (lb.Scheme ?? 'internet-facing') as LoadBalancerView['scheme'],
        dnsName: lb.DNSName,
        subnetIds: (lb.AvailabilityZones ?? [])
          .map(z => z.SubnetId ?? '')
          .filter(Boolean),
        ...owner,
        state: lb.State?.Code,
        securityGroupIds: lb.SecurityGroups ?? [],
        raw: lb as V2 | Classic,
      },
    ];
  });
  const classic = vpc.classicLoadBalancers.flatMap(lb => {
    const owner = loadBalancerOwner(tagMap(lb.Tags), names);
    if (!owner) return [];
    return [
      {
        name: lb.LoadBalancerName ?? '',
        type: 'classic' as const,
        scheme: (lb.Scheme ?? 'internet-facing') as LoadBalancerView['scheme'],
        dnsName: lb.DNSName,
        subnetIds: lb.Subnets ?? [],
        ...owner,
        securityGroupIds: lb.SecurityGroups ?? [],
        raw: lb as V2 | Classic,
      },
    ];
  });
  return [...v2, ...classic];
}
