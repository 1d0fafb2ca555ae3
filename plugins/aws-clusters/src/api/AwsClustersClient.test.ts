import { ResponseError } from '@backstage/errors';
import { AwsClustersClient } from './AwsClustersClient';
import { clusterRefOfEntity, isClusterdeckCluster } from './entity';

function clientWith(respond: (url: string) => Response) {
  const calls: string[] = [];
  const client = new AwsClustersClient({
    discoveryApi: { getBaseUrl: async id => `http://127.0.0.1:7007/api/${id}` },
    fetchApi: {
      fetch: async (input: RequestInfo | URL) => {
        calls.push(String(input));
        return respond(String(input));
      },
    },
  });
  return { client, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('AwsClustersClient', () => {
  it('calls the backend routes with encoded parameters', async () => {
    const { client, calls } = clientWith(() =>
      json({ items: [], generatedAt: 'x', errors: [] }),
    );
    await client.listClusters();
    await client.listClusters({ owner: 'group:default/payments' });
    await client.listClusters({ managementCluster: 'golem', limit: 100 });
    await client.listClusters({
      accountId: '123456789012',
      limit: 25,
      cursor: 'eyJhZnRlciI6ImdvbGVtL29yZy1hY21lL3BheS0xIn0',
    });
    await client.getCluster({
      managementCluster: 'golem',
      namespace: 'org-acme',
      name: 'pay 1',
    });
    await client.getBoundaries({ owner: 'group:default/payments' });
    await client.listAccounts();
    await client.listCidrPools();
    await client.health();
    expect(calls).toEqual([
      'http://127.0.0.1:7007/api/aws-clusters/clusters',
      'http://127.0.0.1:7007/api/aws-clusters/clusters?owner=group%3Adefault%2Fpayments',
      'http://127.0.0.1:7007/api/aws-clusters/clusters?managementCluster=golem&limit=100',
      'http://127.0.0.1:7007/api/aws-clusters/clusters?accountId=123456789012&limit=25&cursor=eyJhZnRlciI6ImdvbGVtL29yZy1hY21lL3BheS0xIn0',
      'http://127.0.0.1:7007/api/aws-clusters/clusters/golem/org-acme/pay%201',
      'http://127.0.0.1:7007/api/aws-clusters/boundaries?owner=group%3Adefault%2Fpayments',
      'http://127.0.0.1:7007/api/aws-clusters/accounts',
      'http://127.0.0.1:7007/api/aws-clusters/cidr-pools',
      'http://127.0.0.1:7007/api/aws-clusters/health',
    ]);
  });

  it('asks the reference routes with only the parameters given', async () => {
    const { client, calls } = clientWith(() =>
      json({ items: [], generatedAt: 'x', errors: [] }),
    );
    await client.listManagementClusters();
    await client.listRegions({ accountId: '444455556666' });
    await client.listRegions();
    await client.listRoleIdentities({
      managementCluster: 'mc-eu-dev',
      accountId: '444455556666',
      owner: 'group:default/payments',
    });
    await client.listRoleIdentities({
      managementCluster: 'mc-eu-dev',
      accountId: '',
    });
    await client.listReleases({
      managementCluster: 'mc-eu-dev',
      flavor: 'eks',
    });
    await client.listTransitGateways({
      accountId: '444455556666',
      region: 'eu-central-1',
    });
    const base = 'http://127.0.0.1:7007/api/aws-clusters/references';
    expect(calls).toEqual([
      `${base}/management-clusters`,
      `${base}/regions?accountId=444455556666`,
      `${base}/regions`,
      `${base}/role-identities?managementCluster=mc-eu-dev&accountId=444455556666&owner=group%3Adefault%2Fpayments`,
      `${base}/role-identities?managementCluster=mc-eu-dev`,
      `${base}/releases?managementCluster=mc-eu-dev&flavor=eks`,
      `${base}/transit-gateways?accountId=444455556666&region=eu-central-1`,
    ]);
  });

  it('shares one request among callers asking for the same path at once, and asks again afterwards', async () => {
    const { client, calls } = clientWith(() =>
      json({ items: [], generatedAt: 'x', errors: [] }),
    );
    const ref = {
      managementCluster: 'golem',
      namespace: 'org-acme',
      name: 'pay01',
    };
    const [a, b, c] = await Promise.all([
      client.getCluster(ref),
      client.getCluster(ref),
      client.getCluster(ref),
    ]);
    expect(calls).toHaveLength(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
    await client.getCluster(ref);
    await client.listClusters();
    expect(calls).toHaveLength(3);
  });

  it('returns the parsed body', async () => {
    const { client } = clientWith(() =>
      json({
        items: [{ name: 'pool-a' }],
        generatedAt: '2026-01-01T00:00:00Z',
        errors: [],
      }),
    );
    await expect(client.listCidrPools()).resolves.toMatchObject({
      items: [{ name: 'pool-a' }],
    });
  });

  it('throws a ResponseError carrying the backend error on non-2xx', async () => {
    const { client } = clientWith(() =>
      json(
        {
          error: {
            name: 'NotFoundError',
            message: 'no cluster x in org-acme on golem',
          },
          response: { statusCode: 404 },
        },
        404,
      ),
    );
    const error = await client
      .getCluster({
        managementCluster: 'golem',
        namespace: 'org-acme',
        name: 'x',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error.message).toBe('no cluster x in org-acme on golem');
  });

  it('rejects a cluster ref with an empty field', () => {
    const { client } = clientWith(() => json({}));
    expect(() =>
      client.getCluster({
        managementCluster: 'golem',
        namespace: '',
        name: 'x',
      }),
    ).toThrow('cluster ref namespace: must not be empty');
  });
});

describe('entity helpers', () => {
  const entity = (annotations: Record<string, string>) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'golem-pay1', annotations },
    spec: { type: 'kubernetes-cluster' },
  });

  it('reads the cluster ref from the annotations', () => {
    const e = entity({
      'clusterdeck.io/management-cluster': 'golem',
      'clusterdeck.io/namespace': 'org-acme',
      'clusterdeck.io/cluster-name': 'pay1',
    });
    expect(isClusterdeckCluster(e)).toBe(true);
    expect(clusterRefOfEntity(e)).toEqual({
      managementCluster: 'golem',
      namespace: 'org-acme',
      name: 'pay1',
    });
  });

  it('is not a cluster when an annotation is missing', () => {
    expect(
      isClusterdeckCluster(
        entity({
          'clusterdeck.io/management-cluster': 'golem',
          'clusterdeck.io/namespace': 'org-acme',
        }),
      ),
    ).toBe(false);
  });
});
