import { ConfigReader } from '@backstage/config';
import {
  FleetSnapshot,
  readClusterdeckConfig,
} from '@clusterdeck/plugin-aws-clusters-node';
import { buildDemoFleet } from '@clusterdeck/demo-fleet';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { boundariesView } from './boundariesView';
import { buildFleetModel, FleetModel } from './buildFleetModel';

const appConfig = yaml.parse(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../app-config.yaml'),
    'utf8',
  ),
);
const config = readClusterdeckConfig(
  new ConfigReader({
    clusterdeck: { ...appConfig.clusterdeck, snapshot: undefined },
  }),
);

/** The demo fleet's clusters attached to a transit gateway, each with its own VPC. */
function attached(model: FleetModel) {
  return model.clusters.filter(
    c => (c.vpc?.transitGatewayAttachments ?? []).length > 0,
  );
}

/** The demo fleet with the VPC of `name` given another CIDR block. */
function withVpcCidr(
  snapshot: FleetSnapshot,
  vpcId: string,
  cidr: string,
): FleetSnapshot {
  for (const region of snapshot.aws) {
    for (const vpc of region.vpcs) {
      if (vpc.VpcId === vpcId) {
        vpc.CidrBlock = cidr;
        vpc.CidrBlockAssociationSet = [
          {
            CidrBlock: cidr,
            AssociationId: 'vpc-cidr-assoc-0123456789abcdef0',
          },
        ];
      }
    }
  }
  return snapshot;
}

const overlapFindings = (model: FleetModel, visible = model.clusters) =>
  boundariesView(model, visible, config.adminGroups).findings.filter(
    f => f.code === 'overlapping-cidrs-on-transit-gateway',
  );

describe('isolation findings on transit gateways', () => {
  it('finds none in the demo fleet, whose attached VPCs are apart', () => {
    const model = buildFleetModel(buildDemoFleet(), config, []);
    expect(attached(model).length).toBeGreaterThanOrEqual(2);
    expect(overlapFindings(model)).toEqual([]);
  });

  it('finds a VPC nested in another one on the same transit gateway, and names only clusters the caller sees', () => {
    const base = buildFleetModel(buildDemoFleet(), config, []);
    const [a, b] = attached(base).filter(
      (c, i, all) => all.findIndex(o => o.vpc === c.vpc) === i,
    );
    const outer = a.vpc!.vpc.CidrBlock!;
    const inner = outer.replace(/\/\d+$/, '/20');
    const model = buildFleetModel(
      withVpcCidr(buildDemoFleet(), b.vpc!.vpc.VpcId!, inner),
      config,
      [],
    );
    const findings = overlapFindings(model);
    expect(findings).toHaveLength(1);
    expect(findings[0].subjects.sort()).toEqual([a.ref, b.ref].sort());
    expect(findings[0].explanation).toMatch(/overlaps another VPC/);

    const onlyB = model.clusters.filter(c => c.ref === b.ref);
    expect(overlapFindings(model, onlyB).map(f => f.subjects)).toEqual([
      [b.ref],
    ]);
    const neither = model.clusters.filter(
      c => c.ref !== a.ref && c.ref !== b.ref,
    );
    expect(overlapFindings(model, neither)).toEqual([]);
  });

  it('does not count blocks that only touch: the next block after a VPC is free', () => {
    const base = buildFleetModel(buildDemoFleet(), config, []);
    const [a, b] = attached(base).filter(
      (c, i, all) => all.findIndex(o => o.vpc === c.vpc) === i,
    );
    const [address, prefix] = a.vpc!.vpc.CidrBlock!.split('/');
    const octets = address.split('.').map(Number);
    const size = 2 ** (32 - Number(prefix));
    const start =
      ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>>
      0;
    const next = start + size;
    const adjacent = `${next >>> 24}.${(next >>> 16) & 255}.${
      (next >>> 8) & 255
    }.${next & 255}/${prefix}`;
    const model = buildFleetModel(
      withVpcCidr(buildDemoFleet(), b.vpc!.vpc.VpcId!, adjacent),
      config,
      [],
    );
    expect(overlapFindings(model)).toEqual([]);
  });
});
