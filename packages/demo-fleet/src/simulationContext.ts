import type { ResolvedClusterRequest } from '@clusterdeck/plugin-aws-clusters-common';
import type { KubernetesObject } from '@clusterdeck/plugin-aws-clusters-render';
import type { ClusterScenario, ClusterState } from './fleetDefinition';
import { IdFactory } from './ids';

/** What every part of the simulation shares: ids, the clock and fleet-wide counters. */
export class SimulationContext {
  readonly ids: IdFactory;
  readonly now: number;
  private nextPublicIp = 0;

  constructor(seed: string, now: string) {
    this.ids = new IdFactory(seed);
    this.now = Date.parse(now);
    if (Number.isNaN(this.now)) {
      throw new TypeError(`"${now}" is not an ISO timestamp`);
    }
  }

  /** The ISO time `ms` milliseconds before the snapshot. */
  ago(ms: number): string {
    return new Date(this.now - ms).toISOString();
  }

  /** The ISO form of an absolute moment in epoch milliseconds. */
  at(ms: number): string {
    return new Date(ms).toISOString();
  }

  /** The moment as AWS writes it into messages: whole seconds, no fraction (`2026-10-31T23:53:55Z`). */
  stamp(ms: number): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /**
   * The next Elastic IP. Handed out in order from the documentation ranges (TEST-NET-1..3) so
   * that no demo address belongs to anyone; they repeat only after 762 addresses.
   */
  publicIp(): string {
    const ranges = ['192.0.2', '198.51.100', '203.0.113'];
    const n = this.nextPublicIp++;
    return `${ranges[Math.floor(n / 254) % 3]}.${(n % 254) + 1}`;
  }
}

/**
 * Snapshots read from JSON carry ISO strings where the SDK types say Date (see `sources/types.ts`);
 * the simulation produces exactly what a reader of the files gets, so it writes strings too.
 */
export function sdkTime(iso: string): Date {
  return iso as unknown as Date;
}

/** How many nodes one pool wants, has, and has ready. */
export interface PoolPlan {
  spec: ResolvedClusterRequest['nodePools'][number];
  /** `<cluster>-<pool>`: the MachinePool, its infrastructure object and the ASG. */
  objectName: string;
  desired: number;
  /** Instances that exist (launched, maybe not ready). */
  existing: number;
  ready: number;
  /** Whether recent launches failed, so that the missing instances do not exist at all. */
  launchesFailing: boolean;
  /** False while CAPA has not made the pool's Auto Scaling group or node group yet. */
  groupCreated: boolean;
}

/** One cluster as the simulation sees it: request, render and derived facts. */
export interface ClusterPlan {
  scenario: ClusterScenario;
  resolved: ResolvedClusterRequest;
  manifests: KubernetesObject[];
  name: string;
  accountId: string;
  region: string;
  flavor: 'ec2' | 'eks';
  state: ClusterState;
  createdAt: number;
  /** Prefix of every id key of this cluster: unique across the fleet. */
  key: string;
  /** The tags CAPA puts on everything (`additionalTags` of the infrastructure object). */
  additionalTags: Record<string, string>;
  kubernetesVersion: string;
  pools: PoolPlan[];
}

/** The region's availability zone id, e.g. `euw1-az1` for `eu-west-1a` (the real mapping varies per account). */
export function zoneId(zone: string): string {
  const DIRECTIONS: Record<string, string> = {
    north: 'n',
    south: 's',
    east: 'e',
    west: 'w',
    central: 'c',
    northeast: 'ne',
    southeast: 'se',
    northwest: 'nw',
    southwest: 'sw',
  };
  const letter = zone.slice(-1);
  const [area, direction = '', number = ''] = zone.slice(0, -1).split('-');
  return `${area}${DIRECTIONS[direction] ?? direction.slice(0, 1)}${number}-az${
    letter.charCodeAt(0) - 96
  }`;
}

/** Whether an instance type is a Graviton (arm64) one, e.g. `m7g.large`. */
export function isArm(instanceType: string): boolean {
  return /^[a-z]+\d+[a-z]*g[a-z]*\./.test(instanceType);
}
