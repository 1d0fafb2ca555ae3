import path from 'node:path';
import { parse } from 'yaml';
import { DEMO_FLEET_DIR, loadFleetFile } from './buildDemoFleet';
import { demoGitopsFiles } from './demoGitops';

describe('demoGitopsFiles', () => {
  const fleet = loadFleetFile(path.join(DEMO_FLEET_DIR, 'fleet.yaml'));
  const files = demoGitopsFiles(fleet);
  const payProd =
    'gitops/management-clusters/mc-eu-prod/organizations/payments/workload-clusters/pay-prod';

  it('holds every cluster of the demo fleet as the scaffolder writes it: request and manifests', () => {
    const requests = [...files.keys()].filter(f =>
      f.endsWith('/clusterrequest.yaml'),
    );
    expect(requests).toHaveLength(fleet.clusters.length);
    expect(fleet.clusters.length).toBeGreaterThanOrEqual(14);
    expect(parse(files.get(`${payProd}/clusterrequest.yaml`)!)).toMatchObject({
      metadata: { name: 'pay-prod', organization: 'payments' },
    });
    expect(files.get(`${payProd}/cluster.yaml`)).toMatch(
      /kind: App[\s\S]*name: pay-prod/,
    );
  });
});
