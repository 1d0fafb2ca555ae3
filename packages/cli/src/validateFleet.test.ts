import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { EXAMPLE_REQUESTS_DIR } from '@clusterdeck/test-utils';
import { runCli } from './main';

/*
 * `clusterdeck validate --fleet`: what a request names, checked against a recorded snapshot (with
 * the app-config that describes it) or a running backend. The snapshot is written here in the
 * recorded layout, with role identities as CAPA documents them.
 */

const NOW = '2026-11-01T00:00:00Z';
const identity = (
  name: string,
  account: string,
  allowedNamespaces?: unknown,
) => ({
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta2',
  kind: 'AWSClusterRoleIdentity',
  metadata: { name },
  spec: {
    roleARN: `arn:aws:iam::${account}:role/${name}`,
    sourceIdentityRef: {
      kind: 'AWSClusterControllerIdentity',
      name: 'default',
    },
    ...(allowedNamespaces !== undefined ? { allowedNamespaces } : {}),
  },
});

describe('clusterdeck validate --fleet', () => {
  let dir: string;
  let snapshot: string;
  let config: string;
  const source = fs.readFileSync(
    path.join(EXAMPLE_REQUESTS_DIR, 'pay-prod.yaml'),
    'utf8',
  );
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-fleet-'));
    snapshot = path.join(dir, 'fleet');
    fs.mkdirSync(path.join(snapshot, 'management-clusters'), {
      recursive: true,
    });
    fs.mkdirSync(path.join(snapshot, 'aws', '111122223333'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(snapshot, 'management-clusters', 'mc-eu-prod.json'),
      JSON.stringify({
        name: 'mc-eu-prod',
        fetchedAt: NOW,
        objects: {
          awsClusterRoleIdentities: [
            identity('payments-prod', '123456789012', {
              list: ['org-payments'],
            }),
            identity('search-prod', '123456789012', {
              selector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'org-search' },
              },
            }),
            identity('dev-shared', '444455556666', {}),
          ],
        },
        errors: [],
      }),
    );
    fs.writeFileSync(
      path.join(snapshot, 'aws', '111122223333', 'eu-west-1.json'),
      JSON.stringify({
        accountId: '111122223333',
        region: 'eu-west-1',
        fetchedAt: NOW,
        transitGatewayAttachments: [
          {
            TransitGatewayId: 'tgw-0123456789abcdef0',
            TransitGatewayOwnerId: '111122223333',
            State: 'available',
          },
        ],
        errors: [],
      }),
    );
    config = write(
      'app-config.yaml',
      stringify({
        clusterdeck: {
          accounts: [
            {
              id: '123456789012',
              name: 'production',
              environment: 'production',
              owners: ['group:default/payments'],
              accessModel: 'audited-no-access',
              regions: ['eu-west-1'],
            },
            {
              id: '444455556666',
              name: 'development',
              environment: 'development',
              owners: ['group:default/payments'],
              accessModel: 'developer-debug',
              regions: ['eu-west-1'],
            },
          ],
          managementClusters: [
            {
              name: 'mc-eu-prod',
              region: 'eu-west-1',
              accountId: '111122223333',
            },
          ],
          references: {
            releases: { 'mc-eu-prod': ['31.1.0'] },
            zones: { 'eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
            transitGateways: {
              '123456789012': [
                { id: 'tgw-0123456789abcdef0', region: 'eu-west-1' },
              ],
            },
          },
          // Blocks of the other modules are read by them, and pass here.
          guardrails: { environments: {} },
        },
      }),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accepts a request whose references hold in the recorded fleet', async () => {
    const file = path.join(EXAMPLE_REQUESTS_DIR, 'pay-prod.yaml');
    expect(
      await runCli(['validate', '--fleet', snapshot, '--config', config, file]),
    ).toEqual({
      stdout: '1 request valid against the fleet\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it.each([
    [
      'a missing identity',
      ['roleIdentity: payments-prod', 'roleIdentity: no-such-identity'],
      'spec.account.roleIdentity: mc-eu-prod has no AWSClusterRoleIdentity named no-such-identity',
    ],
    [
      "another account's identity",
      ['roleIdentity: payments-prod', 'roleIdentity: dev-shared'],
      'spec.account.roleIdentity: dev-shared assumes a role in account development (444455556666, development), not in the requested account production (123456789012, production): CAPA would build the cluster there',
    ],
    [
      'an identity not admitting the namespace',
      ['roleIdentity: payments-prod', 'roleIdentity: search-prod'],
      'spec.account.roleIdentity: search-prod does not admit the namespace org-payments: its allowedNamespaces selects {"matchLabels":{"kubernetes.io/metadata.name":"org-search"}}',
    ],
    [
      'an unknown release',
      ["release: '31.1.0'", "release: '29.0.0'"],
      'spec.release: mc-eu-prod does not offer release 29.0.0; it offers 31.1.0',
    ],
    [
      'a zone of another region',
      [
        'availabilityZones: 3',
        'availabilityZones: [eu-west-1a, eu-central-1b]',
      ],
      'spec.network.availabilityZones[1]: "eu-central-1b" is not an availability zone of eu-west-1',
    ],
    [
      'a zone the region does not have',
      ['availabilityZones: 3', 'availabilityZones: [eu-west-1a, eu-west-1d]'],
      'spec.network.availabilityZones[1]: eu-west-1d is not an availability zone of eu-west-1; its zones: eu-west-1a, eu-west-1b, eu-west-1c',
    ],
    [
      'an unreachable transit gateway',
      [
        'transitGatewayId: tgw-0123456789abcdef0',
        'transitGatewayId: tgw-0aaaaaaaaaaaaaaaa',
      ],
      'spec.network.topology.transitGatewayId: transit gateway tgw-0aaaaaaaaaaaaaaaa is not shared with account 123456789012; reachable: tgw-0123456789abcdef0',
    ],
  ])('refuses %s, naming the field', async (_what, [from, to], problem) => {
    const file = write('wrong.yaml', source.replace(from, to));
    expect(
      await runCli(['validate', '--fleet', snapshot, '--config', config, file]),
    ).toEqual({ stdout: '', stderr: `${file}: ${problem}\n`, exitCode: 1 });
  });

  it("refuses a region that is not the account's, and warns that its zones are not checked", async () => {
    const file = write(
      'other-region.yaml',
      source.replace('region: eu-west-1', 'region: us-east-1'),
    );
    const outcome = await runCli([
      'validate',
      '--fleet',
      snapshot,
      '--config',
      config,
      file,
    ]);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr.split('\n')).toEqual(
      expect.arrayContaining([
        `${file}: spec.network.availabilityZones: warning: nothing lists the availability zones of us-east-1, so the zones are not checked`,
        `${file}: spec.region: account production (123456789012) is not used in us-east-1; its regions: eu-west-1`,
      ]),
    );
  });

  it('needs the app-config of a snapshot', async () => {
    const outcome = await runCli([
      'validate',
      '--fleet',
      snapshot,
      path.join(EXAMPLE_REQUESTS_DIR, 'pay-prod.yaml'),
    ]);
    expect(outcome).toEqual({
      stdout: '',
      stderr: expect.stringMatching(/needs --config <app-config\.yaml>/),
      exitCode: 2,
    });
  });

  describe('against a running backend', () => {
    let server: http.Server;
    let url: string;
    const seen: Array<{ url?: string; authorization?: string }> = [];

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        seen.push({ url: req.url, authorization: req.headers.authorization });
        if (req.headers.authorization !== 'Bearer s3cret') {
          res.writeHead(401, { 'Content-Type': 'application/json' }).end(
            JSON.stringify({
              error: {
                name: 'AuthenticationError',
                message: 'Missing credentials',
              },
            }),
          );
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(
          JSON.stringify({
            managementClusters: [
              {
                name: 'mc-eu-prod',
                region: 'eu-west-1',
                accountId: '111122223333',
                roleIdentities: [
                  {
                    name: 'payments-prod',
                    roleARN: 'arn:aws:iam::123456789012:role/payments-prod',
                    allowedNamespaces: { list: ['org-payments'] },
                  },
                ],
              },
            ],
            accounts: [
              {
                id: '123456789012',
                name: 'production',
                environment: 'production',
                regions: ['eu-west-1'],
              },
            ],
            transitGateways: {
              '123456789012': [{ id: 'tgw-0123456789abcdef0' }],
              '111122223333': [{ id: 'tgw-0123456789abcdef0' }],
            },
          }),
        );
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

    it('reads the references for the owner with the token of CLUSTERDECK_TOKEN', async () => {
      const file = path.join(EXAMPLE_REQUESTS_DIR, 'pay-prod.yaml');
      expect(
        await runCli(['validate', '--fleet', url, file], {
          env: { CLUSTERDECK_TOKEN: 's3cret' },
        }),
      ).toEqual({
        stdout: '1 request valid against the fleet\n',
        // This backend lists no release and no zone: the request passes, with what was not checked.
        stderr: [
          `${file}: spec.release: warning: nothing lists the releases mc-eu-prod offers, so 31.1.0 is not checked\n`,
          `${file}: spec.network.availabilityZones: warning: nothing lists the availability zones of eu-west-1, so the zones are not checked\n`,
        ].join(''),
        exitCode: 0,
      });
      expect(seen.at(-1)).toEqual({
        url: '/api/aws-clusters/references?owner=group%3Adefault%2Fpayments',
        authorization: 'Bearer s3cret',
      });
      const wrong = write(
        'wrong-url.yaml',
        source.replace(
          'roleIdentity: payments-prod',
          'roleIdentity: search-prod',
        ),
      );
      expect(
        (
          await runCli(
            ['validate', '--fleet', `${url}/api/aws-clusters/`, wrong],
            { env: { CLUSTERDECK_TOKEN: 's3cret' } },
          )
        ).stderr,
      ).toBe(
        [
          `${wrong}: spec.account.roleIdentity: mc-eu-prod has no AWSClusterRoleIdentity named search-prod\n`,
          `${wrong}: spec.release: warning: nothing lists the releases mc-eu-prod offers, so 31.1.0 is not checked\n`,
          `${wrong}: spec.network.availabilityZones: warning: nothing lists the availability zones of eu-west-1, so the zones are not checked\n`,
        ].join(''),
      );
    });

    it('says what is missing without a token, and what the backend said when it refuses', async () => {
      const file = path.join(EXAMPLE_REQUESTS_DIR, 'pay-prod.yaml');
      expect(await runCli(['validate', '--fleet', url, file])).toEqual({
        stdout: '',
        stderr:
          'reading the fleet from a URL needs a Backstage token in CLUSTERDECK_TOKEN\n',
        exitCode: 2,
      });
      const refused = await runCli(['validate', '--fleet', url, file], {
        env: { CLUSTERDECK_TOKEN: 'wrong' },
      });
      expect(refused).toEqual({
        stdout: '',
        stderr: `${file}: ${url}/api/aws-clusters refused the references for group:default/payments (401): Missing credentials\n`,
        exitCode: 1,
      });
    });
  });
});
