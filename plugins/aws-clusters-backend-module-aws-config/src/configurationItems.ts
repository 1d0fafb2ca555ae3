import type { AwsRegionSnapshot } from '@clusterdeck/plugin-aws-clusters-node';

/**
 * AWS Config's configuration items, as `SelectAggregateResourceConfig` returns them (one JSON
 * string per result), turned into the AWS SDK shapes the collectors record.
 *
 * The shapes follow AWS's published resource schemas (github.com/awslabs/aws-config-resource-schema,
 * `config/properties/resource-types/<type>.properties.json`). Config keeps the older EC2, Elastic
 * Load Balancing and Auto Scaling types in the describe calls' own shape with the first letter of
 * every key in lower case (`vpcId`, `cidrBlock`, `dNSName`, `vpczoneIdentifier`), enumerations as
 * `{ value }` (`state.value` of VPCs, subnets and NAT gateways) and some string lists as
 * `[{ value }]` (`availabilityZones.value`, `securityGroups.value`); the newer types in
 * CloudFormation's spelling (EKS clusters: `Name`, `ResourcesVpcConfig`; transit gateways and their
 * attachments: `Id`, `TransitGatewayId`, `SubnetIds`). An Auto Scaling group's item carries its
 * instances with their `lifecycleState` and `healthStatus`. Advanced queries do not cover EKS node
 * groups (`AWS::EKS::Nodegroup` has no schema there): the source reads those directly. The readers
 * below accept either spelling of a key.
 */

/** @public One query result: the fields the source selects. */
export interface ConfigurationItem {
  resourceId: string;
  resourceType: string;
  accountId: string;
  awsRegion: string;
  configuration?: unknown;
  tags?: Array<{ key?: string; value?: string; tag?: string }>;
  configurationItemCaptureTime?: string;
  configurationItemStatus?: string;
}

/** @public The resource types read through AWS Config, and the snapshot list each fills. */
export const CONFIG_RESOURCE_TYPES = {
  'AWS::EC2::VPC': 'vpcs',
  'AWS::EC2::Subnet': 'subnets',
  'AWS::EC2::RouteTable': 'routeTables',
  'AWS::EC2::InternetGateway': 'internetGateways',
  'AWS::EC2::NatGateway': 'natGateways',
  'AWS::EC2::TransitGatewayAttachment': 'transitGatewayAttachments',
  'AWS::EC2::TransitGateway': 'transitGateways',
  'AWS::EC2::VPCPeeringConnection': 'vpcPeeringConnections',
  'AWS::EC2::SecurityGroup': 'securityGroups',
  'AWS::ElasticLoadBalancing::LoadBalancer': 'classicLoadBalancers',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'loadBalancers',
  'AWS::AutoScaling::AutoScalingGroup': 'autoScalingGroups',
  'AWS::EC2::Instance': 'instances',
  'AWS::EKS::Cluster': 'eksClusters',
} as const satisfies Record<string, keyof AwsRegionSnapshot>;

/** @public A resource type read through AWS Config. */
export type ConfigResourceType = keyof typeof CONFIG_RESOURCE_TYPES;

/** Items Config still returns for resources that are gone. */
const DELETED = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded']);

/** Keys whose lower-case-first spelling does not give the SDK's by capitalizing. */
const SDK_KEYS: Record<string, string> = {
  vpczoneIdentifier: 'VPCZoneIdentifier',
  vPCZoneIdentifier: 'VPCZoneIdentifier',
  dNSName: 'DNSName',
  dnsname: 'DNSName',
  dnsName: 'DNSName',
  vpcid: 'VPCId',
  vPCId: 'VPCId',
  canonicalHostedZoneNameID: 'CanonicalHostedZoneNameID',
  autoScalingGroupARN: 'AutoScalingGroupARN',
  sslcertificateId: 'SSLCertificateId',
  lbcookieStickinessPolicies: 'LBCookieStickinessPolicies',
  iPv6Address: 'IPv6Address',
};

/** Values kept as they are: user-chosen keys (labels, tag maps). */
const OPAQUE = new Set(['labels', 'Labels']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key respeller that remembers its answers: a refresh meets a few hundred keys millions of times. */
function speller(spell: (k: string) => string): (k: string) => string {
  const known = new Map<string, string>();
  return k => {
    let spelled = known.get(k);
    if (spelled === undefined) {
      spelled = spell(k);
      known.set(k, spelled);
    }
    return spelled;
  };
}

/** Distinct short strings kept at most; past it, the copies start afresh. */
const INTERNED_MAX = 500_000;
let interned = new Map<string, string>();

/**
 * One copy of each short string value: a fleet's items repeat the same zones, VPC and subnet ids,
 * tag keys and values hundreds of thousands of times, each parsed into a string of its own.
 */
function intern(value: string): string {
  if (value.length > 96) return value;
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size >= INTERNED_MAX) interned = new Map();
  interned.set(value, value);
  return value;
}

function rekey(value: unknown, key: (k: string) => string): unknown {
  if (typeof value === 'string') return intern(value);
  if (Array.isArray(value)) {
    const list = new Array(value.length);
    for (let i = 0; i < value.length; i++) list[i] = rekey(value[i], key);
    return list;
  }
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  if (keys.length === 1 && (keys[0] === 'value' || keys[0] === 'Value'))
    return source[keys[0]];
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = source[k];
    const isTagMap = (k === 'tags' || k === 'Tags') && isObject(v);
    out[key(k)] = OPAQUE.has(k) || isTagMap ? v : rekey(v, key);
  }
  return out;
}

const toPascal = speller(
  k => SDK_KEYS[k] ?? (k ? k[0].toUpperCase() + k.slice(1) : k),
);
const toCamel = speller(k => (k ? k[0].toLowerCase() + k.slice(1) : k));

/** Keys in the SDK's EC2, ELB and Auto Scaling spelling (`VpcId`). */
export function pascalKeys(value: unknown): any {
  return rekey(value, toPascal);
}

/** Keys in the SDK's EKS spelling (`resourcesVpcConfig`). */
export function camelKeys(value: unknown): any {
  return rekey(value, toCamel);
}

function sdkTags(item: ConfigurationItem, fromConfiguration: unknown) {
  if (item.tags?.length) {
    return item.tags
      .filter(t => t.key !== undefined)
      .map(t => ({ Key: intern(t.key!), Value: intern(t.value ?? '') }));
  }
  return Array.isArray(fromConfiguration) ? fromConfiguration : undefined;
}

function tagMap(item: ConfigurationItem, fromConfiguration: unknown) {
  if (isObject(fromConfiguration))
    return fromConfiguration as Record<string, string>;
  const list = Array.isArray(fromConfiguration)
    ? (fromConfiguration as Array<{ key?: string; value?: string }>)
    : item.tags ?? [];
  const out: Record<string, string> = {};
  for (const t of list) if (t.key !== undefined) out[t.key] = t.value ?? '';
  return Object.keys(out).length ? out : undefined;
}

/** The configuration of an item as an object (Config returns it as JSON in some answers). */
function configurationOf(item: ConfigurationItem): Record<string, unknown> {
  const c = item.configuration;
  if (typeof c === 'string') {
    try {
      const parsed = JSON.parse(c);
      return isObject(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }
  return isObject(c) ? c : {};
}

function ec2Like(item: ConfigurationItem): any {
  const sdk = pascalKeys(configurationOf(item));
  const tags = sdkTags(item, sdk.Tags);
  if (tags) sdk.Tags = tags;
  return sdk;
}

/** Security groups: Config keeps the old list of CIDR strings beside `ipv4Ranges`. */
function withIpRanges(sdk: any): any {
  const permissions = (list: any[] | undefined) =>
    list?.map(({ Ipv4Ranges, IpRanges, ...rest }: any) => ({
      ...rest,
      IpRanges:
        Ipv4Ranges ??
        (IpRanges ?? []).map((r: unknown) =>
          typeof r === 'string' ? { CidrIp: r } : r,
        ),
    }));
  return {
    ...sdk,
    IpPermissions: permissions(sdk.IpPermissions),
    IpPermissionsEgress: permissions(sdk.IpPermissionsEgress),
  };
}

/** Transit gateway properties the SDK keeps under `Options`. */
const TRANSIT_GATEWAY_OPTIONS = new Set([
  'AmazonSideAsn',
  'AssociationDefaultRouteTableId',
  'AutoAcceptSharedAttachments',
  'DefaultRouteTableAssociation',
  'DefaultRouteTablePropagation',
  'DnsSupport',
  'MulticastSupport',
  'PropagationDefaultRouteTableId',
  'TransitGatewayCidrBlocks',
  'VpnEcmpSupport',
]);

/**
 * The types Config keeps in CloudFormation's spelling, or with a field of another shape than the
 * describe call's, in the SDK's shape: transit gateways and their attachments (`Id`), peering
 * connections (`status` as a string).
 */
function inSdkShape(type: string, accountId: string, sdk: any): any {
  switch (type) {
    case 'AWS::EC2::TransitGatewayAttachment': {
      const { Id, ...rest } = sdk;
      return {
        TransitGatewayAttachmentId: Id,
        VpcOwnerId: accountId,
        ...rest,
      };
    }
    case 'AWS::EC2::TransitGateway': {
      const { Id, ...rest } = sdk;
      const options: Record<string, unknown> = {};
      const out: Record<string, unknown> = {
        TransitGatewayId: Id,
        OwnerId: accountId,
        Options: options,
      };
      for (const [k, v] of Object.entries(rest))
        (TRANSIT_GATEWAY_OPTIONS.has(k) ? options : out)[k] = v;
      return out;
    }
    case 'AWS::EC2::VPCPeeringConnection':
      return typeof sdk.Status === 'string'
        ? { ...sdk, Status: { Code: sdk.Status } }
        : sdk;
    case 'AWS::EC2::SecurityGroup':
      return withIpRanges(sdk);
    default:
      return sdk;
  }
}

function eksCluster(item: ConfigurationItem): any {
  const c = camelKeys(configurationOf(item));
  const {
    certificateAuthorityData,
    clusterSecurityGroupId,
    clusterStatus,
    openIdConnectIssuerUrl,
    encryptionConfigKeyArn: _keyArn,
    tags,
    ...rest
  } = c;
  return {
    ...rest,
    name: c.name ?? item.resourceId,
    ...(clusterStatus && !c.status ? { status: clusterStatus } : {}),
    ...(openIdConnectIssuerUrl && !c.identity
      ? { identity: { oidc: { issuer: openIdConnectIssuerUrl } } }
      : {}),
    ...(certificateAuthorityData && !c.certificateAuthority
      ? { certificateAuthority: { data: certificateAuthorityData } }
      : {}),
    resourcesVpcConfig: c.resourcesVpcConfig
      ? {
          ...c.resourcesVpcConfig,
          ...(clusterSecurityGroupId ? { clusterSecurityGroupId } : undefined),
        }
      : undefined,
    tags: tagMap(item, tags),
  };
}

/** The SDK shape of one configuration item. */
export function toSdkShape(item: ConfigurationItem): unknown {
  switch (item.resourceType as ConfigResourceType) {
    case 'AWS::EKS::Cluster':
      return eksCluster(item);
    default:
      return inSdkShape(item.resourceType, item.accountId, ec2Like(item));
  }
}

/** @public One query result read: which resource, where, its SDK shape, and whether it is gone. */
export interface ReadResult {
  accountId: string;
  awsRegion: string;
  resourceType: string;
  resourceId: string;
  /** `configurationItemCaptureTime`: when Config recorded this state. */
  capturedAt?: string;
  /** Config's item of a deleted resource (`ResourceDeleted`, `ResourceDeletedNotRecorded`): no resource. */
  deleted: boolean;
  resource: unknown;
}

/**
 * Reads one result of `SelectAggregateResourceConfig` into its SDK shape; undefined for one that
 * does not parse, and `deleted` without a resource for a resource that is gone. One parse, then
 * one copy of the configuration with its keys respelled (each key's spelling worked out once) and
 * Config's `{ value }` wrappers taken off: a refresh reads hundreds of thousands of items.
 */
export function readResult(result: string): ReadResult | undefined {
  let item: ConfigurationItem;
  try {
    item = JSON.parse(result);
  } catch {
    return undefined;
  }
  if (!isObject(item) || !item.accountId || !item.awsRegion) return undefined;
  const deleted = DELETED.has(item.configurationItemStatus ?? '');
  return {
    accountId: item.accountId,
    awsRegion: item.awsRegion,
    resourceType: item.resourceType,
    resourceId: String(item.resourceId ?? ''),
    capturedAt: item.configurationItemCaptureTime,
    deleted,
    resource: deleted ? undefined : toSdkShape(item),
  };
}
