import fc from 'fast-check';
import {
  arbitraryClusterRequest,
  exampleRequests,
} from '@clusterdeck/test-utils';
import { manifestsToYaml, renderClusterRequest } from './renderClusterRequest';
import { parseAllDocuments } from 'yaml';

const SEGMENT = String.raw`\[\d+\]|\["(?:[^"\\]|\\.)*"\]`;
const DOTTED_PATH = new RegExp(
  String.raw`^(|([A-Za-z_$][\w$]*|${SEGMENT})(\.[A-Za-z_$][\w$]*|${SEGMENT})*)$`,
);

describe('renderClusterRequest', () => {
  it('renders every example in both formats', () => {
    for (const { request } of exampleRequests()) {
      for (const format of ['capi', 'cluster-aws'] as const) {
        const result = renderClusterRequest(request, {
          format,
          baseDomain: 'fallback.example.com',
        });
        expect(result.ok).toBe(true);
      }
    }
  });

  it('asks for the fields a format needs, at their paths', () => {
    const request: any = structuredClone(exampleRequests()[0].request);
    delete request.spec.kubernetesVersion;
    delete request.spec.release;
    delete request.spec.baseDomain;
    expect(renderClusterRequest(request, { format: 'capi' })).toEqual({
      ok: false,
      problems: [
        {
          path: 'spec.kubernetesVersion',
          message: 'is required for the capi format',
        },
      ],
    });
    const clusterAws = renderClusterRequest(request, { format: 'cluster-aws' });
    expect(clusterAws.ok ? [] : clusterAws.problems.map(p => p.path)).toEqual([
      'spec.release',
      'spec.baseDomain',
    ]);
  });

  it('refuses an unknown format', () => {
    expect(renderClusterRequest({}, { format: 'helm' as any })).toEqual({
      ok: false,
      problems: [
        { path: 'format', message: 'must be one of capi, cluster-aws' },
      ],
    });
  });

  it('writes YAML that reads back to the same objects', () => {
    const result = renderClusterRequest(exampleRequests()[0].request, {
      format: 'capi',
    });
    if (!result.ok) throw new Error('expected manifests');
    const docs = parseAllDocuments(manifestsToYaml(result.manifests)).map(d =>
      d.toJS(),
    );
    expect(docs).toEqual(result.manifests);
  });

  it('answers arbitrary input with problems at dotted paths, never an exception', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.constantFrom('capi', 'cluster-aws' as const),
        (input, format) => {
          const result = renderClusterRequest(input, { format });
          const problems = result.ok ? [] : result.problems;
          expect({ ok: result.ok, someProblem: problems.length > 0 }).toEqual({
            ok: false,
            someProblem: true,
          });
          expect(problems.filter(p => !DOTTED_PATH.test(p.path))).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('answers valid requests with one field replaced by anything without throwing', () => {
    const mutated = fc
      .tuple(arbitraryClusterRequest, fc.nat(), fc.anything())
      .map(([generated, seed, value]) => {
        // fast-check reuses generated values while shrinking: mutate a copy.
        const request = structuredClone(generated);
        const paths: Array<Array<string | number>> = [];
        const walk = (node: unknown, path: Array<string | number>) => {
          if (node && typeof node === 'object') {
            for (const [key, child] of Object.entries(node)) {
              const next = [...path, Array.isArray(node) ? Number(key) : key];
              paths.push(next);
              walk(child, next);
            }
          }
        };
        walk(request, []);
        const target = paths[seed % paths.length];
        let parent: any = request;
        for (const key of target.slice(0, -1)) parent = parent[key];
        parent[target[target.length - 1]] = value;
        return request;
      });
    fc.assert(
      fc.property(
        mutated,
        fc.constantFrom('capi', 'cluster-aws' as const),
        (input, format) => {
          const result = renderClusterRequest(input, { format });
          const problems = result.ok ? [] : result.problems;
          expect(problems.filter(p => !DOTTED_PATH.test(p.path))).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
