import { renderedExamples } from '../__testUtils__/renderedExamples';
import { parseScaffolderModuleConfig } from '../config/moduleConfig';
import { kindOf, RENDERED_KINDS } from './applyKinds';

describe('the kinds clusterdeck:manifests:apply applies', () => {
  it('are exactly what the renderer produces for the example requests, in every format', () => {
    const rendered = new Set<string>();
    for (const { file, format, manifests } of renderedExamples()) {
      for (const manifest of manifests) {
        expect([
          file,
          format,
          RENDERED_KINDS.includes(kindOf(manifest))
            ? 'allowed'
            : kindOf(manifest),
        ]).toEqual([file, format, 'allowed']);
        rendered.add(kindOf(manifest));
      }
    }
    expect([...rendered].sort()).toEqual([...RENDERED_KINDS].sort());
  });

  it('names core kinds without a group and others with theirs', () => {
    expect(kindOf({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe('ConfigMap');
    expect(
      kindOf({ apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'Cluster' }),
    ).toBe('Cluster.cluster.x-k8s.io');
    expect(kindOf({ apiVersion: '/v1', kind: 'ConfigMap' })).not.toBe(
      'ConfigMap',
    );
  });

  it('are narrowed by configuration, which may not widen them', () => {
    expect(parseScaffolderModuleConfig({}).apply.allowedKinds).toEqual(
      RENDERED_KINDS,
    );
    expect(
      parseScaffolderModuleConfig({
        apply: { allowedKinds: ['App.application.giantswarm.io', 'ConfigMap'] },
      }).apply.allowedKinds,
    ).toEqual(['App.application.giantswarm.io', 'ConfigMap']);
    expect(() =>
      parseScaffolderModuleConfig({
        apply: { allowedKinds: ['ConfigMap', 'Secret'] },
      }),
    ).toThrow(
      /clusterdeck\.apply\.allowedKinds\[1\]: must be one of the kinds Clusterdeck renders/,
    );
  });
});
