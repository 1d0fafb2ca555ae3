import { awsClustersPlugin } from './plugin';
import alphaPlugin from './alpha';

type WithExtensions = { extensions: Array<{ id: string }> };

describe('aws-clusters', () => {
  it('is the aws-clusters plugin in both frontend systems', () => {
    expect(awsClustersPlugin.getId()).toBe('aws-clusters');
    expect(alphaPlugin.pluginId).toBe('aws-clusters');
  });

  it('provides the API in the legacy plugin', () => {
    expect([...awsClustersPlugin.getApis()].map(f => f.api.id)).toContain(
      'plugin.aws-clusters.service',
    );
  });

  it('exposes the API and the entity cards in the alpha plugin', () => {
    const ids = (alphaPlugin as unknown as WithExtensions).extensions.map(
      e => e.id,
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        'api:aws-clusters',
        'entity-card:aws-clusters/cluster-boundaries',
        'entity-card:aws-clusters/cluster-provisioning',
        'entity-card:aws-clusters/cluster-topology',
        'entity-card:aws-clusters/node-pool-scaling',
      ]),
    );
  });
});
