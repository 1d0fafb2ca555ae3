import { accountEntity, catalogLabelValue } from './catalog';

describe('accountEntity', () => {
  const account = {
    id: '123456789012',
    name: 'payments-dev',
    environment: 'development',
    accessModel: 'developer-debug',
    owner: 'group:default/payments',
  };

  it('describes an account as a Resource of type aws-account', () => {
    expect(
      accountEntity({
        ...account,
        regions: ['eu-west-1', 'eu-central-1'],
        organizationalUnit: 'ou-ab12-34cd56ef',
        system: 'kubernetes-platform',
      }),
    ).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'aws-account-payments-dev',
        title: 'payments-dev (123456789012)',
        description:
          'AWS account for development; access model developer-debug; regions eu-west-1, eu-central-1.',
        annotations: {
          'amazonaws.com/account-id': '123456789012',
          'clusterdeck.io/account-id': '123456789012',
          'clusterdeck.io/organizational-unit': 'ou-ab12-34cd56ef',
        },
        labels: {
          'clusterdeck.io/environment': 'development',
          'clusterdeck.io/access-model': 'developer-debug',
        },
        tags: ['aws', 'aws-account', 'development'],
      },
      spec: {
        type: 'aws-account',
        owner: 'group:default/payments',
        system: 'kubernetes-platform',
      },
    });
  });

  it('keeps the manager annotations and namespace, and leaves out what is unknown', () => {
    const entity = accountEntity({
      ...account,
      namespace: 'aws',
      annotations: { 'backstage.io/managed-by-location': 'clusterdeck:x' },
    });
    expect(entity.metadata.namespace).toBe('aws');
    expect(entity.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': 'clusterdeck:x',
      'amazonaws.com/account-id': '123456789012',
      'clusterdeck.io/account-id': '123456789012',
    });
    expect(entity.spec).not.toHaveProperty('system');
    expect(entity.metadata.description).toBe(
      'AWS account for development; access model developer-debug.',
    );
  });
});

describe('catalogLabelValue', () => {
  it('keeps label values within the catalog rules', () => {
    expect(catalogLabelValue('pre production!')).toBe('pre-production');
    expect(catalogLabelValue('-x-')).toBe('x');
    expect(catalogLabelValue('a'.repeat(70))).toHaveLength(63);
    expect(catalogLabelValue('***')).toBeUndefined();
    expect(catalogLabelValue(undefined)).toBeUndefined();
  });
});
