import type { AwsRegionSnapshot } from '@clusterdeck/plugin-aws-clusters-node';
import {
  CONFIG_RESOURCE_TYPES,
  ConfigResourceType,
} from '../configurationItems';

/*
 * The configuration items AWS Config would hold for a recorded fleet, in the shapes of AWS's
 * published resource schemas (github.com/awslabs/aws-config-resource-schema,
 * config/properties/resource-types): EC2, Elastic Load Balancing and Auto Scaling items as the
 * describe item with the first letter of each key in lower case (`vpcId`, `dNSName`,
 * `vpczoneIdentifier`, classic load balancers' `dnsname` and `vpcid`), `state.value` of VPCs,
 * subnets and NAT gateways, `[{ value }]` for the string lists the schemas name `….value`, Auto
 * Scaling groups with their instances' `lifecycleState`, security groups with `ipv4Ranges` beside
 * the old `ipRanges` strings, peering connections' `status` as a string; transit gateways, their
 * attachments and EKS clusters in CloudFormation's properties (`Id`, `Name`,
 * `ResourcesVpcConfig`) with only the fields the schemas list; tags beside the configuration as
 * `{ key, value, tag }` (not inside the configuration). No EKS node group items: advanced queries do not cover them. Tests and
 * the benchmark's aggregator answer from them.
 */

const KEYS: Record<string, string> = {
  VPCZoneIdentifier: 'vpczoneIdentifier',
  DNSName: 'dNSName',
  VPCId: 'vpcId',
  IPv6Address: 'iPv6Address',
};

/** Classic load balancers' keys, spelled as their schema spells them. */
const CLASSIC_KEYS: Record<string, string> = {
  ...KEYS,
  DNSName: 'dnsname',
  VPCId: 'vpcid',
  SSLCertificateId: 'sslcertificateId',
  LBCookieStickinessPolicies: 'lbcookieStickinessPolicies',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lowerFirst(value: unknown, keys = KEYS): unknown {
  if (Array.isArray(value)) return value.map(v => lowerFirst(v, keys));
  if (value instanceof Date) return value.toISOString();
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = keys[k] ?? k[0].toLowerCase() + k.slice(1);
    out[key] = k === 'Labels' || k === 'labels' ? v : lowerFirst(v, keys);
  }
  return out;
}

/** A string list the schema names `<list>.value`. */
function values(list: unknown) {
  return Array.isArray(list) ? list.map(value => ({ value })) : undefined;
}

/** An enumeration the schema names `state.value`. */
function withStateValue(resource: any) {
  const out = lowerFirst(resource) as Record<string, unknown>;
  return resource.State === undefined
    ? out
    : { ...out, state: { value: resource.State } };
}

/** Only the properties a schema lists, in its spelling. */
function only(source: Record<string, unknown>, keys: string[]) {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
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
    default:
      return '';
  }
}

function configurationOf(type: ConfigResourceType, resource: any): unknown {
  switch (type) {
    case 'AWS::EC2::VPC':
    case 'AWS::EC2::Subnet':
    case 'AWS::EC2::NatGateway':
      return withStateValue(resource);
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
    case 'AWS::ElasticLoadBalancing::LoadBalancer': {
      const { AvailabilityZones, SecurityGroups, Subnets, ...rest } = resource;
      return {
        ...(lowerFirst(rest, CLASSIC_KEYS) as object),
        availabilityZones: values(AvailabilityZones),
        securityGroups: values(SecurityGroups),
        subnets: values(Subnets),
      };
    }
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
      const { SecurityGroups, ...rest } = resource;
      return {
        ...(lowerFirst(rest) as object),
        securityGroups: values(SecurityGroups),
      };
    }
    case 'AWS::AutoScaling::AutoScalingGroup': {
      // The group's instances come with their lifecycle state and health.
      const { AvailabilityZones, ...rest } = resource;
      return {
        ...(lowerFirst(rest) as object),
        availabilityZones: values(AvailabilityZones),
      };
    }
    case 'AWS::EC2::VPCPeeringConnection': {
      const { Status, ...rest } = resource;
      return { ...(lowerFirst(rest) as object), status: Status?.Code };
    }
    case 'AWS::EC2::TransitGatewayAttachment':
      return {
        Id: resource.TransitGatewayAttachmentId,
        ...only(resource, ['SubnetIds', 'TransitGatewayId', 'VpcId']),
      };
    case 'AWS::EC2::TransitGateway':
      return {
        Id: resource.TransitGatewayId,
        ...only(resource, ['Description']),
        ...(resource.Options ?? {}),
      };
    case 'AWS::EKS::Cluster': {
      const vpc = resource.resourcesVpcConfig ?? {};
      return {
        Name: resource.name,
        Arn: resource.arn,
        Version: resource.version,
        RoleArn: resource.roleArn,
        Endpoint: resource.endpoint,
        CertificateAuthorityData: resource.certificateAuthority?.data,
        ClusterStatus: resource.status,
        OpenIdConnectIssuerUrl: resource.identity?.oidc?.issuer,
        ResourcesVpcConfig: {
          SubnetIds: vpc.subnetIds,
          SecurityGroupIds: vpc.securityGroupIds,
          EndpointPublicAccess: vpc.endpointPublicAccess,
          EndpointPrivateAccess: vpc.endpointPrivateAccess,
          PublicAccessCidrs: vpc.publicAccessCidrs,
        },
        KubernetesNetworkConfig: resource.kubernetesNetworkConfig
          ? {
              IpFamily: resource.kubernetesNetworkConfig.ipFamily,
              ServiceIpv4Cidr: resource.kubernetesNetworkConfig.serviceIpv4Cidr,
              ServiceIpv6Cidr: resource.kubernetesNetworkConfig.serviceIpv6Cidr,
            }
          : undefined,
      };
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
  // The schemas list tags beside the configuration only (`tags.key`, `tags.value`, `tags.tag`).
  const { Tags: _t, tags: _tags, ...untagged } = r;
  return JSON.stringify({
    resourceId: resourceIdOf(type, r),
    resourceType: type,
    accountId: snapshot.accountId,
    awsRegion: snapshot.region,
    configuration: configurationOf(type, untagged),
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
