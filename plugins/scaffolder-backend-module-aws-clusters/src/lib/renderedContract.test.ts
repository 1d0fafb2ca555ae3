import { renderClusterRequest } from '@clusterdeck/plugin-aws-clusters-render';
import yaml from 'yaml';
import { renderablePaymentsRequest } from '../__testUtils__/fixtures';
import { renderedExamples } from '../__testUtils__/renderedExamples';
import { ManifestObject, renderedContractProblems } from './renderedContract';

/**
 * A cluster as Giant Swarm's documentation shows `kubectl gs template cluster --provider capa`
 * writing it (the values ConfigMap and the App of cluster-aws), unused references left empty.
 */
const DOCUMENTED = `
apiVersion: v1
data:
  values: |
    global:
      metadata:
        name: dev01
        organization: acme
kind: ConfigMap
metadata:
  creationTimestamp: null
  labels:
    giantswarm.io/cluster: dev01
  name: dev01-userconfig
  namespace: org-acme
---
apiVersion: application.giantswarm.io/v1alpha1
kind: App
metadata:
  labels:
    app-operator.giantswarm.io/version: 0.0.0
  name: dev01
  namespace: org-acme
spec:
  catalog: cluster
  config:
    configMap:
      name: ""
      namespace: ""
    secret:
      name: ""
      namespace: ""
  kubeConfig:
    context:
      name: ""
    inCluster: true
    secret:
      name: ""
      namespace: ""
  name: cluster-aws
  namespace: org-acme
  userConfig:
    configMap:
      name: dev01-userconfig
      namespace: org-acme
  version: 0.9.2
`;

const documented = (): ManifestObject[] =>
  yaml.parseAllDocuments(DOCUMENTED).map(d => d.toJS());

function rendered(
  format: 'capi' | 'cluster-aws',
  request = renderablePaymentsRequest(),
) {
  const result = renderClusterRequest(request, {
    format,
    baseDomain: 'example.com',
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return structuredClone(result.manifests) as ManifestObject[];
}

/** A values ConfigMap of `name` in `namespace`. */
const valuesMap = (name: string, namespace: string): ManifestObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data: { values: 'x' },
});

const byKind = (objects: ManifestObject[], kind: string): any =>
  objects.find(o => o.kind === kind)!;

describe("the renderer's contract for clusterdeck:manifests:apply", () => {
  it('holds for everything the renderer writes for the example requests, in every format', () => {
    for (const { file, format, request, manifests } of renderedExamples()) {
      const { cluster, problems } = renderedContractProblems(
        structuredClone(manifests),
      );
      expect([file, format, problems]).toEqual([file, format, []]);
      expect(cluster?.name).toBe(request.metadata.name);
      expect(cluster?.owner).toBe(request.metadata.owner);
    }
  });

  it('holds for a cluster as kubectl gs writes it, empty references and all', () => {
    const { cluster, problems } = renderedContractProblems(documented());
    expect(problems).toEqual([]);
    expect(cluster).toMatchObject({ name: 'dev01', namespace: 'org-acme' });
  });

  const app = (objects: ManifestObject[]) => byKind(objects, 'App');
  const hostile: Array<
    [string, (objects: ManifestObject[]) => void, string, RegExp]
  > = [
    [
      'an App of another chart',
      o => (app(o).spec.name = 'security-bundle'),
      'App org-acme/dev01 spec.name',
      /"security-bundle": the renderer installs only the charts cluster-aws and cluster-eks/,
    ],
    [
      'an App from another catalog',
      o => (app(o).spec.catalog = 'giantswarm-playground'),
      'App org-acme/dev01 spec.catalog',
      /"giantswarm-playground": the renderer installs clusters only from the catalog "cluster"/,
    ],
    [
      'an App that installs into kube-system',
      o => (app(o).spec.namespace = 'kube-system'),
      'App org-acme/dev01 spec.namespace',
      /"kube-system"/,
    ],
    [
      "an App with another cluster's kubeconfig",
      o =>
        (app(o).spec.kubeConfig = {
          inCluster: false,
          secret: { name: 'dev02-kubeconfig', namespace: 'org-acme' },
        }),
      'App org-acme/dev01 spec.kubeConfig',
      /never with another kubeconfig/,
    ],
    [
      'an App with a kubeconfig in another namespace',
      o =>
        (app(o).spec.kubeConfig.secret = {
          name: 'dev01-kubeconfig',
          namespace: 'org-web',
        }),
      'App org-acme/dev01 spec.kubeConfig.secret.namespace',
      /"org-web": what a rendered object refers to is in its own namespace, org-acme/,
    ],
    [
      'an App whose values come from another namespace',
      o => (app(o).spec.userConfig.configMap.namespace = 'giantswarm'),
      'App org-acme/dev01 spec.userConfig',
      /the renderer configures the chart with the values of/,
    ],
    [
      'an App with a user config Secret',
      o =>
        (app(o).spec.userConfig.secret = {
          name: 'dev01-secrets',
          namespace: 'org-acme',
        }),
      'App org-acme/dev01 spec.userConfig',
      /values of \{"configMap":\{"name":"dev01-userconfig","namespace":"org-acme"\}\} only/,
    ],
    [
      'an App with catalog config',
      o =>
        (app(o).spec.config.secret = {
          name: 'dev01-config',
          namespace: 'org-acme',
        }),
      'App org-acme/dev01 spec.config',
      /the renderer never sets it/,
    ],
    [
      'an App with a catalog namespace',
      o => (app(o).spec.catalogNamespace = 'org-acme'),
      'App org-acme/dev01 spec.catalogNamespace',
      /the renderer never sets it/,
    ],
    [
      'an App for an app-operator other than the management cluster’s own',
      o =>
        (app(o).metadata.labels['app-operator.giantswarm.io/version'] =
          '6.0.0'),
      'App org-acme/dev01 metadata.labels["app-operator.giantswarm.io/version"]',
      /the management cluster's own app-operator/,
    ],
    [
      'a ConfigMap other than the values',
      o => o.push(valuesMap('dev01-extra', 'org-acme')),
      'ConfigMap org-acme/dev01-extra metadata.name',
      /the only ConfigMap the renderer writes for dev01 is its values, dev01-userconfig/,
    ],
    [
      'a values ConfigMap with more than the values',
      o => (byKind(o, 'ConfigMap').data.script = '#!/bin/sh'),
      'ConfigMap org-acme/dev01-userconfig data',
      /one document, data\.values/,
    ],
    [
      'values that hand an app a Secret',
      o =>
        (byKind(o, 'ConfigMap').data.values = yaml.stringify({
          global: {
            metadata: { name: 'dev01', organization: 'acme' },
            apps: {
              cilium: {
                extraConfigs: [{ kind: 'secret', name: 'dev02-kubeconfig' }],
              },
            },
          },
        })),
      'ConfigMap org-acme/dev01-userconfig data.values.global.apps',
      /is set; the renderer writes only global\.metadata, global\.release/,
    ],
    [
      "values that put a Secret's content on the nodes",
      o =>
        (byKind(o, 'ConfigMap').data.values = yaml.stringify({
          global: { metadata: { name: 'dev01', organization: 'acme' } },
          cluster: {
            providerIntegration: {
              kubeadmConfig: {
                files: [
                  {
                    path: '/x',
                    contentFrom: { secret: { name: 'a', key: 'b' } },
                  },
                ],
              },
            },
          },
        })),
      'ConfigMap org-acme/dev01-userconfig data.values.cluster',
      /the renderer writes only global values/,
    ],
    [
      'values of another cluster',
      o =>
        (byKind(o, 'ConfigMap').data.values = yaml.stringify({
          global: { metadata: { name: 'dev02', organization: 'acme' } },
        })),
      'ConfigMap org-acme/dev01-userconfig data.values.global.metadata.name',
      /"dev02", not dev01/,
    ],
    [
      'an object of another cluster',
      o => o.push(valuesMap('dev02-userconfig', 'org-acme')),
      'ConfigMap org-acme/dev02-userconfig metadata.name',
      /the renderer names every object of cluster dev01 dev01 or dev01-\.\.\./,
    ],
    [
      'an object in another namespace',
      o => (byKind(o, 'ConfigMap').metadata.namespace = 'org-web'),
      'ConfigMap org-web/dev01-userconfig metadata.namespace',
      /not org-acme/,
    ],
    [
      'a second App',
      o =>
        o.push({
          ...structuredClone(app(o)),
          metadata: { name: 'dev01-apps', namespace: 'org-acme' },
        }),
      '',
      /holds App org-acme\/dev01 and App org-acme\/dev01-apps: the renderer writes one cluster/,
    ],
  ];
  it.each(hostile)(
    'refuses %s, naming the object and the field',
    (_what, change, where, why) => {
      const objects = documented();
      change(objects);
      const { problems } = renderedContractProblems(objects);
      expect(problems).toEqual(
        expect.arrayContaining([
          { path: where, message: expect.stringMatching(why) },
        ]),
      );
    },
  );

  const capi: Array<
    [string, (objects: ManifestObject[]) => void, string, RegExp]
  > = [
    [
      "the management cluster's own AWS identity",
      o =>
        (byKind(o, 'AWSCluster').spec.identityRef = {
          kind: 'AWSClusterControllerIdentity',
          name: 'default',
        }),
      'AWSCluster org-payments/pay-new spec.identityRef.kind',
      /never the management cluster's own identity/,
    ],
    [
      "another cluster's infrastructure",
      o => (byKind(o, 'Cluster').spec.infrastructureRef.name = 'pay-prod'),
      'Cluster org-payments/pay-new spec.infrastructureRef.name',
      /"pay-prod": a rendered object refers only to objects of its own cluster/,
    ],
    [
      'a machine pool of another cluster',
      o => (byKind(o, 'MachinePool').spec.clusterName = 'pay-prod'),
      'MachinePool org-payments/pay-new-system spec.clusterName',
      /"pay-prod", not pay-new/,
    ],
    [
      "a node file read from another cluster's secret",
      o =>
        (byKind(o, 'KubeadmConfig').spec.files = [
          {
            path: '/etc/leak',
            contentFrom: { secret: { name: 'pay-prod-kubeconfig', key: 'v' } },
          },
        ]),
      'KubeadmConfig org-payments/pay-new-system spec.files[0].contentFrom.secret.name',
      /"pay-prod-kubeconfig"/,
    ],
    [
      'a Cluster labelled as another cluster',
      o =>
        (byKind(o, 'Cluster').metadata.labels['cluster.x-k8s.io/cluster-name'] =
          'pay-prod'),
      'Cluster org-payments/pay-new metadata.labels["cluster.x-k8s.io/cluster-name"]',
      /"pay-prod", not pay-new/,
    ],
    [
      'a ConfigMap beside a Cluster',
      o => o.push(valuesMap('pay-new-userconfig', 'org-payments')),
      'ConfigMap org-payments/pay-new-userconfig metadata.name',
      /only for a cluster installed by an App/,
    ],
  ];
  it.each(capi)(
    'refuses, in Cluster API objects, %s',
    (_what, change, where, why) => {
      const objects = rendered('capi');
      change(objects);
      const { problems } = renderedContractProblems(objects);
      expect(problems).toEqual(
        expect.arrayContaining([
          { path: where, message: expect.stringMatching(why) },
        ]),
      );
    },
  );

  it('refuses a cluster without a namespace', () => {
    const objects = documented();
    for (const object of objects) delete object.metadata!.namespace;
    expect(renderedContractProblems(objects).problems).toEqual(
      expect.arrayContaining([
        {
          path: 'App dev01 metadata.namespace',
          message: expect.stringMatching(/^is missing/),
        },
      ]),
    );
  });

  it('refuses objects without a Cluster or an App to name them after', () => {
    const objects = documented().filter(o => o.kind === 'ConfigMap');
    expect(renderedContractProblems(objects).problems).toEqual([
      {
        path: '',
        message: expect.stringMatching(/^holds no Cluster and no App/),
      },
    ]);
  });
});
