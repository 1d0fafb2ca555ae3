import {
  SnapshotSource,
  type KubeObject,
  type ManagementClusterSnapshot,
} from '@clusterdeck/plugin-aws-clusters-node';
import { examplesPath } from '@clusterdeck/test-utils';
import { ProvisioningReplay } from './ProvisioningReplay';

const CLUSTER = 'mc-eu-dev/org-payments/pay-dev';
const STEP = 15_000;
const START = Date.parse('2026-12-07T09:00:00Z');

function replay(repeatAfterMs?: number) {
  let now = START;
  const source = new ProvisioningReplay(
    new SnapshotSource({ directory: examplesPath('demo-fleet') }),
    {
      cluster: CLUSTER,
      stepMs: STEP,
      now: () => now,
      ...(repeatAfterMs ? { repeatAfterMs } : {}),
    },
  );
  return {
    source,
    at: async (step: number) => {
      now = START + step * STEP;
      const fleet = await source.collect();
      return fleet.managementClusters!.find(m => m.name === 'mc-eu-dev')!;
    },
  };
}

const objectsOf = (mc: ManagementClusterSnapshot) => {
  const named = (list: KubeObject[], name: string) =>
    list.find(
      o => o.metadata.namespace === 'org-payments' && o.metadata.name === name,
    )!;
  return {
    cluster: named(mc.objects.clusters, 'pay-dev'),
    awsCluster: named(mc.objects.awsClusters, 'pay-dev'),
    system: named(mc.objects.machinePools, 'pay-dev-system'),
    flex: named(mc.objects.machinePools, 'pay-dev-flex0'),
  };
};

const condition = (o: KubeObject, type: string) =>
  o.status.conditions.find((c: { type: string }) => c.type === type);

describe('ProvisioningReplay', () => {
  it("plays CAPA's steps in order, from the VPC to the node pools, ending in the cluster as recorded", async () => {
    const { at } = replay();
    let o = objectsOf(await at(0));
    expect(o.cluster.metadata.creationTimestamp).toBe(
      '2026-12-07T09:00:00.000Z',
    );
    expect(o.cluster.status.phase).toBe('Provisioning');
    expect(condition(o.awsCluster, 'VpcReady')).toMatchObject({
      status: 'False',
      reason: 'VpcCreationStarted',
      severity: 'Info',
    });
    expect(condition(o.awsCluster, 'SubnetsReady')).toBeUndefined();

    // VPC, subnets and internet gateway done; the NAT gateways being created.
    o = objectsOf(await at(3));
    expect(condition(o.awsCluster, 'InternetGatewayReady')).toMatchObject({
      status: 'True',
      lastTransitionTime: '2026-12-07T09:00:45.000Z',
    });
    expect(condition(o.awsCluster, 'NatGatewaysReady')).toMatchObject({
      status: 'False',
      reason: 'NatGatewaysCreationStarted',
    });

    // The load balancer waits for its DNS name.
    o = objectsOf(await at(6));
    expect(condition(o.awsCluster, 'LoadBalancerReady')).toMatchObject({
      status: 'False',
      reason: 'WaitForDNSName',
    });
    expect(o.awsCluster.status.ready).toBe(false);

    // Infrastructure ready; the control plane not yet initialized.
    o = objectsOf(await at(8));
    expect(condition(o.cluster, 'InfrastructureReady').status).toBe('True');
    expect(condition(o.cluster, 'ControlPlaneInitialized').status).toBe(
      'False',
    );
    expect(o.cluster.status.phase).toBe('Provisioning');

    // The control plane is up; the first pool's nodes are joining.
    o = objectsOf(await at(10));
    expect(o.cluster.status.phase).toBe('Provisioned');
    expect(condition(o.cluster, 'ControlPlaneAvailable').status).toBe('True');
    expect(o.system.status.readyReplicas).toBe(0);
    expect(o.flex.status.readyReplicas).toBe(0);

    o = objectsOf(await at(11));
    expect(o.system.status.readyReplicas).toBe(2);
    expect(o.flex.status.readyReplicas).toBe(0);

    // The last step is the cluster as recorded, and it stays so.
    const recorded = objectsOf(
      (
        await new SnapshotSource({
          directory: examplesPath('demo-fleet'),
        }).collect()
      ).managementClusters!.find(m => m.name === 'mc-eu-dev')!,
    );
    for (const step of [13, 40]) {
      o = objectsOf(await at(step));
      expect(o.flex.status.readyReplicas).toBe(
        recorded.flex.status.readyReplicas,
      );
      expect(condition(o.cluster, 'Available').status).toBe('True');
      const types = (x: KubeObject) =>
        x.status.conditions
          .filter((c: { status: string }) => c.status === 'True')
          .map((c: { type: string }) => c.type)
          .sort();
      expect(types(o.awsCluster)).toEqual(types(recorded.awsCluster));
      expect(types(o.cluster)).toEqual(types(recorded.cluster));
      expect(o.cluster.spec).toEqual(recorded.cluster.spec);
    }
  });

  it('starts over, as a new Cluster object, the given time after the cluster is ready', async () => {
    const { at } = replay(60_000);
    const first = objectsOf(await at(13)).cluster;
    expect(first.status.phase).toBe('Provisioned');
    // 13 steps of 15 s, then a minute: the next round begins at step 17.
    const again = objectsOf(await at(17)).cluster;
    expect(again.status.phase).toBe('Provisioning');
    expect(again.metadata.uid).not.toBe(first.metadata.uid);
  });

  it('pushes the management cluster at each new step', async () => {
    let now = START;
    const source = new ProvisioningReplay(
      new SnapshotSource({ directory: examplesPath('demo-fleet') }),
      { cluster: CLUSTER, stepMs: 20, now: () => now },
    );
    const pushed: string[] = [];
    const stop = source.watchManagementClusters(mc => {
      pushed.push(condition(objectsOf(mc).awsCluster, 'VpcReady').status);
    });
    try {
      await waitFor(() => pushed.length === 1);
      now += 20;
      await waitFor(() => pushed.length === 2);
      expect(pushed).toEqual(['False', 'True']);
    } finally {
      stop();
    }
  });

  it('serves the recording as it is, naming the field once, when the cluster is not in the snapshot', async () => {
    const recorded = await new SnapshotSource({
      directory: examplesPath('demo-fleet'),
    }).collect();
    for (const [cluster, message] of [
      [
        'mc-eu-dev/org-payments/nope',
        'clusterdeck.snapshot.replayProvisioning.cluster: mc-eu-dev has no Cluster org-payments/nope',
      ],
      [
        'mc-nowhere/org-payments/pay-dev',
        'clusterdeck.snapshot.replayProvisioning.cluster: the snapshot has no management cluster mc-nowhere',
      ],
    ]) {
      const problems: string[] = [];
      const unreplayable = new ProvisioningReplay(
        new SnapshotSource({ directory: examplesPath('demo-fleet') }),
        { cluster, stepMs: STEP, onProblem: m => problems.push(m) },
      );
      const first = await unreplayable.collect();
      await unreplayable.collect();
      expect(first.managementClusters).toEqual(recorded.managementClusters);
      expect(problems).toEqual([message]);
      expect(unreplayable.problem).toBe(message);
    }
  });
});

async function waitFor(predicate: () => boolean) {
  for (let i = 0; i < 500 && !predicate(); i++)
    await new Promise(resolve => setTimeout(resolve, 10));
  expect(predicate()).toBe(true);
}
