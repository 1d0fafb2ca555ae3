import type { AwsRegionSnapshot } from '@clusterdeck/plugin-aws-clusters-node';
import {
  CONFIG_RESOURCE_TYPES,
  ConfigResourceType,
} from '../configurationItems';

/*
 * The configuration items AWS Config would hold for a recorded fleet, in Config's own shapes:
 * EC2, Elastic Load Balancing and Auto Scaling items as the describe item with the first letter
 * of each key in lower case (`vpcId`, `dNSName`, `vpczoneIdentifier`, security groups with
 * `ipv4Ranges` beside the old `ipRanges` strings), EKS items in CloudFormation's resource
 * properties, tags beside the configuration as `{ key, value, tag }`. Tests and the benchmark's
 * aggregator answer from them.
 */

const KEYS: Record<string, string> = {
  VPCZoneIdentifier: 'vpczoneIdentifier',
  DNSName: 'dNSName',
  VPCId: 'vpcid',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lowerFirst(value: unknown, keep = false): unknown {
  if (Array.isArray(value)) return value.map(v => lowerFirst(v));
  if (value instanceof Date) return value.toISOString();
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = keep ? k : KEYS[k] ?? k[0].toLowerCase() + k.slice(1);
    out[key] = k === 'Labels' || k === 'labels' ? v : lowerFirst(v);
  }
  return out;
}

function upperFirst(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(upperFirst);
  if (value instanceof Date) return value.toISOString();
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k[0].toUpperCase() + k.slice(1);
    out[key] = k === 'labels' || k === 'tags' ? v : upperFirst(v);
  }
  return out;
}

function tagList(tags: unknown) {
  const pairs: Array<[string, string]> = Array.isArray(tags)
    ? tags.map((t: any) => [t.Key ?? t.key, t.Value ?? t.value ?? ''])
    : Object.entries((tags ?? {}) as Record<string, string>);
  return pairs.map(([key, value]) => ({ key, value, tag: `${key}=${value}` }));
}

function idOf(list: keyof AwsRegionSnapshot, resource: any): string {
  switch (list) {
    case 'vpcs':
      return resource.VpcId;
    case 'subnets':
      return resource.SubnetId;
    case 'routeTables':
      return resource.RouteTableId;
    case 'internetGateways':
      return resource.InternetGatewayId;
    case 'natGateways':
      return resource.NatGatewayId;
    case 'transitGatewayAttachments':
      return resource.TransitGatewayAttachmentId;
    case 'transitGateways':
      return resource.TransitGatewayId;
    case 'vpcPeeringConnections':
      return resource.VpcPeeringConnectionId;
    case 'securityGroups':
      return resource.GroupId;
    case 'classicLoadBalancers':
      return resource.LoadBalancerName;
    case 'loadBalancers':
      return resource.LoadBalancerArn;
    case 'autoScalingGroups':
      return resource.AutoScalingGroupARN ?? resource.AutoScalingGroupName;
    case 'instances':
      return resource.InstanceId;
    case 'eksClusters':
      return resource.name;
    case 'eksNodegroups':
      return resource.nodegroupArn ?? resource.nodegroupName;
    default:
      return '';
  }
}

function configurationOf(type: ConfigResourceType, resource: any): unknown {
  switch (type) {
    case 'AWS::EC2::SecurityGroup': {
      const permissions = (list: any[] | undefined) =>
        (list ?? []).map(({ IpRanges, ...p }: any) => ({
          ...(lowerFirst(p) as object),
          ipv4Ranges: lowerFirst(IpRanges ?? []),
          ipRanges: (IpRanges ?? []).map((r: any) => r.CidrIp),
        }));
      const { IpPermissions, IpPermissionsEgress, ...rest } = resource;
      return {
        ...(lowerFirst(rest) as object),
        ipPermissions: permissions(IpPermissions),
        ipPermissionsEgress: permissions(IpPermissionsEgress),
      };
    }
    case 'AWS::ElasticLoadBalancing::LoadBalancer':
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
      // Load balancers' tags are not part of their configuration.
      const { Tags: _tags, ...rest } = resource;
      return lowerFirst(rest);
    }
    case 'AWS::AutoScaling::AutoScalingGroup': {
      // Config keeps no lifecycle state of the group's instances.
      const { Instances: _instances, ...rest } = resource;
      return lowerFirst(rest);
    }
    case 'AWS::EKS::Cluster': {
      const {
        certificateAuthority,
        resourcesVpcConfig,
        tags,
        status: _status,
        health: _health,
        ...rest
      } = resource;
      const {
        clusterSecurityGroupId,
        vpcId: _vpc,
        ...vpcConfig
      } = resourcesVpcConfig ?? {};
      return {
        ...(upperFirst(rest) as object),
        CertificateAuthorityData: certificateAuthority?.data,
        ClusterSecurityGroupId: clusterSecurityGroupId,
        ResourcesVpcConfig: upperFirst(vpcConfig),
        Tags: tagList(tags).map(t => ({ Key: t.key, Value: t.value })),
      };
    }
    case 'AWS::EKS::Nodegroup': {
      const {
        nodegroupArn,
        tags,
        status: _status,
        health: _health,
        ...rest
      } = resource;
      return { ...(upperFirst(rest) as object), Arn: nodegroupArn, Tags: tags };
    }
    default:
      return lowerFirst(resource);
  }
}

/** @internal The JSON result `SelectAggregateResourceConfig` answers for one resource of the region. */
export function configurationItemOf(
  snapshot: Pick<AwsRegionSnapshot, 'accountId' | 'region'>,
  type: ConfigResourceType,
  resource: unknown,
  capturedAt: string,
): string {
  const r = resource as any;
  return JSON.stringify({
    resourceId: resourceIdOf(type, r),
    resourceType: type,
    accountId: snapshot.accountId,
    awsRegion: snapshot.region,
    configuration: configurationOf(type, r),
    tags: tagList(r.Tags ?? r.tags),
    configurationItemCaptureTime: capturedAt,
    configurationItemStatus: 'OK',
  });
}

/** @internal The resource id Config gives a resource of the type. */
export function resourceIdOf(type: ConfigResourceType, resource: unknown) {
  return idOf(CONFIG_RESOURCE_TYPES[type], resource);
}

/** @internal One JSON result per resource of the region, as `SelectAggregateResourceConfig` answers it. */
export function configurationItemsOf(
  snapshot: AwsRegionSnapshot,
  capturedAt: string,
): Array<{
  resourceType: ConfigResourceType;
  resourceId: string;
  json: string;
}> {
  return (
    Object.entries(CONFIG_RESOURCE_TYPES) as Array<
      [ConfigResourceType, keyof AwsRegionSnapshot]
    >
  ).flatMap(([type, list]) =>
    ((snapshot[list] as unknown[] | undefined) ?? []).map(resource => ({
      resourceType: type,
      resourceId: resourceIdOf(type, resource),
      json: configurationItemOf(snapshot, type, resource, capturedAt),
    })),
  );
}
