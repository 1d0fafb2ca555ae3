import type { Subnet, Vpc } from '@aws-sdk/client-ec2';
import { usableSubnetAddresses } from '@clusterdeck/plugin-aws-clusters-common';
import {
  AwsRegionSnapshot,
  emptyAwsRegionSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import { addressInBlock } from './ids';
import { SimulationContext, zoneId } from './simulationContext';
import { tagList } from './tags';

/** A subnet while the simulation fills it: addresses are counted as they are handed out. */
export interface SubnetFacts {
  id: string;
  /** The name in the CAPA spec (`<cluster>-subnet-private-eu-west-1a`), or the id when adopted. */
  capaName: string;
  cidr: string;
  zone: string;
  role: 'public' | 'private' | 'pod';
  state: 'available' | 'pending';
  tags: Record<string, string>;
  routeTableId?: string;
  /** The NAT gateway that sits in this (public) subnet. */
  natGatewayId?: string;
  /** Addresses in use, beyond the five AWS reserves. */
  used: number;
  /** The host offset of the next address to hand out. */
  nextHost: number;
}

/** A VPC while the simulation fills it; shared by the clusters that adopt the same VPC. */
export interface VpcFacts {
  id: string;
  cidrs: string[];
  adopted: boolean;
  state: 'available' | 'pending';
  tags: Record<string, string>;
  subnets: SubnetFacts[];
  internetGatewayId?: string;
  natGateways: Array<{
    id: string;
    zone: string;
    subnetId: string;
    publicIp: string;
  }>;
}

/** One account and region being simulated: the snapshot's lists plus the VPCs still open. */
export class RegionBuilder {
  readonly snapshot: AwsRegionSnapshot;
  readonly vpcs = new Map<string, VpcFacts>();

  constructor(
    readonly ctx: SimulationContext,
    accountId: string,
    region: string,
  ) {
    this.snapshot = emptyAwsRegionSnapshot(accountId, region, ctx.at(ctx.now));
  }

  get accountId(): string {
    return this.snapshot.accountId;
  }

  get region(): string {
    return this.snapshot.region;
  }

  /** Writes out the VPCs and subnets, whose tags and free addresses are known only at the end. */
  finalize(): AwsRegionSnapshot {
    for (const vpc of this.vpcs.values()) {
      this.snapshot.vpcs.push(this.vpcObject(vpc));
      for (const subnet of vpc.subnets) {
        this.snapshot.subnets.push(this.subnetObject(vpc, subnet));
      }
    }
    // Activities are listed newest first, as DescribeScalingActivities returns them.
    this.snapshot.scalingActivities.sort((a, b) =>
      String(b.StartTime).localeCompare(String(a.StartTime)),
    );
    return this.snapshot;
  }

  private vpcObject(vpc: VpcFacts): Vpc {
    return {
      VpcId: vpc.id,
      OwnerId: this.accountId,
      CidrBlock: vpc.cidrs[0],
      // AWS lists the primary block in the association set too.
      CidrBlockAssociationSet: vpc.cidrs.map(cidr => ({
        AssociationId: this.ctx.ids.aws('vpc-cidr-assoc', `${vpc.id}/${cidr}`),
        CidrBlock: cidr,
        CidrBlockState: { State: 'associated' },
      })),
      DhcpOptionsId: this.ctx.ids.aws('dopt', this.accountId + this.region),
      InstanceTenancy: 'default',
      IsDefault: false,
      State: vpc.state,
      Tags: tagList(vpc.tags),
    };
  }

  private subnetObject(vpc: VpcFacts, subnet: SubnetFacts): Subnet {
    return {
      SubnetId: subnet.id,
      SubnetArn: `arn:aws:ec2:${this.region}:${this.accountId}:subnet/${subnet.id}`,
      VpcId: vpc.id,
      OwnerId: this.accountId,
      CidrBlock: subnet.cidr,
      AvailabilityZone: subnet.zone,
      AvailabilityZoneId: zoneId(subnet.zone),
      AvailableIpAddressCount: Math.max(
        usableSubnetAddresses(subnet.cidr) - subnet.used,
        0,
      ),
      DefaultForAz: false,
      MapPublicIpOnLaunch: subnet.role === 'public',
      State: subnet.state,
      Tags: tagList(subnet.tags),
    };
  }
}

/** Hands out the next private address of a subnet and counts it as used. */
export function allocateAddress(subnet: SubnetFacts): string {
  subnet.used += 1;
  return addressInBlock(subnet.cidr, subnet.nextHost++);
}

/** Counts addresses used without naming them (pods on ENI subnets, EKS's own interfaces). */
export function reserveAddresses(subnet: SubnetFacts, count: number): void {
  subnet.used += count;
  subnet.nextHost += count;
}
