import { awsClustersPlugin } from './plugin';
import alphaPlugin from './alpha';
import * as legacyFields from './formFields';
import { getComponentData } from '@backstage/core-plugin-api';
import { createElement } from 'react';

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

  it('names every extension of the alpha plugin as apps configure them', () => {
    const ids = (alphaPlugin as unknown as WithExtensions).extensions.map(
      e => e.id,
    );
    expect([...ids].sort()).toEqual(
      [
        'api:aws-clusters',
        'entity-card:aws-clusters/cluster-boundaries',
        'entity-card:aws-clusters/cluster-provisioning',
        'entity-card:aws-clusters/cluster-topology',
        'entity-card:aws-clusters/node-pool-scaling',
        'entity-card:aws-clusters/version-support',
        'entity-card:aws-clusters/connect',
        'entity-card:aws-clusters/cluster-cost',
        'entity-card:aws-clusters/management-cluster',
        'entity-card:aws-clusters/aws-account',
        'entity-content:aws-clusters/team-clusters',
        'page:aws-clusters',
        'page:aws-clusters/fleet',
        'scaffolder-form-field:aws-clusters/clusterdeck-account-picker',
        'scaffolder-form-field:aws-clusters/clusterdeck-cluster-picker',
        'scaffolder-form-field:aws-clusters/clusterdeck-cidr-field',
        'scaffolder-form-field:aws-clusters/clusterdeck-management-cluster-picker',
        'scaffolder-form-field:aws-clusters/clusterdeck-region-picker',
        'scaffolder-form-field:aws-clusters/clusterdeck-zones-picker',
        'scaffolder-form-field:aws-clusters/clusterdeck-role-identity-picker',
        'scaffolder-form-field:aws-clusters/clusterdeck-release-picker',
        'scaffolder-form-field:aws-clusters/clusterdeck-transit-gateway-picker',
        'scaffolder-form-field:aws-clusters/clusterdeck-node-pools-editor',
      ].sort(),
    );
  });

  it('gives each legacy form field its ui:field name, component and validation', () => {
    const data = Object.entries(legacyFields).map(([exported, field]) => {
      const d = getComponentData<{
        name: string;
        component: unknown;
        validation?: unknown;
      }>(createElement(field), 'scaffolder.extensions.field.v1')!;
      return [exported, d.name, typeof d.component, typeof d.validation];
    });
    expect(data).toEqual(
      expect.arrayContaining([
        [
          'ClusterdeckAccountPickerFieldExtension',
          'ClusterdeckAccountPicker',
          'function',
          'undefined',
        ],
        [
          'ClusterdeckCidrFieldExtension',
          'ClusterdeckCidrField',
          'function',
          'function',
        ],
        [
          'ClusterdeckNodePoolsEditorFieldExtension',
          'ClusterdeckNodePoolsEditor',
          'function',
          'function',
        ],
      ]),
    );
    expect(data).toHaveLength(10);
    for (const [exported, name] of data)
      expect(exported).toBe(`${name.replace(/Field$/, '')}FieldExtension`);
  });
});
