import path from 'node:path';
import { ValuesValidator } from './ValuesValidator';
import type { ManifestIssue } from './issues';
import {
  describeMissingReference,
  findReferenceDir,
  referenceSkipReason,
} from '@clusterdeck/plugin-aws-clusters-node';
import { readYamlDocuments, yamlFiles } from './referenceFixtures';

const referenceDir = findReferenceDir();
const describeIfRef = referenceDir ? describe : describe.skip;
if (!referenceDir) {
  // eslint-disable-next-line no-console
  console.warn(`ValuesValidator tests skipped: ${describeMissingReference()}`);
}
const suffix = referenceDir ? '' : ` (skipped: ${referenceSkipReason})`;

jest.setTimeout(60_000);

const REQUIRED_GLOBALS = {
  managementCluster: 'test',
  metadata: { name: 'test-wc', organization: 'giantswarm' },
  release: { version: '29.1.0' },
  connectivity: { baseDomain: 'example.com' },
};

/** The smallest cluster-aws values (the required globals), with `global` entries replaced or, when undefined, removed. */
function clusterAwsValues(
  global: Record<string, unknown> = {},
  root: Record<string, unknown> = {},
): Record<string, unknown> {
  const merged = Object.entries({ ...REQUIRED_GLOBALS, ...global }).filter(
    ([, value]) => value !== undefined,
  );
  return { global: Object.fromEntries(merged), ...root };
}

function byPath(issues: ManifestIssue[]): ManifestIssue[] {
  return [...issues].sort((a, b) => a.path.localeCompare(b.path));
}

describeIfRef(
  `ValuesValidator against the upstream chart schemas${suffix}`,
  () => {
    const dir = referenceDir ?? '';
    let validator: ValuesValidator;

    beforeAll(() => {
      validator = ValuesValidator.fromDirectory(dir);
    });

    describe('cluster-aws CI values', () => {
      // it.each refuses an empty table; it is only empty when the suite is skipped.
      const files = referenceDir
        ? yamlFiles(path.join(dir, 'cluster-aws-ci-values'))
        : [{ name: 'none', file: '' }];
      it.each(files)(
        '$name is valid, and uses only declared keys',
        ({ file }) => {
          const [values] = readYamlDocuments(file);
          expect(validator.validate('cluster-aws', values)).toEqual([]);
          expect(
            validator.validate('cluster-aws', values, {
              rejectUndeclaredKeys: true,
            }),
          ).toEqual([]);
        },
      );
    });

    it('accepts the minimal cluster-aws values', () => {
      expect(validator.validate('cluster-aws', clusterAwsValues())).toEqual([]);
    });

    it('reports an unknown key in a closed object with its path', () => {
      const values = clusterAwsValues(
        { connectivity: { baseDomain: 'example.com', notAKey: true } },
        { notATopLevelKey: 1 },
      );
      expect(byPath(validator.validate('cluster-aws', values))).toEqual([
        {
          path: 'global.connectivity.notAKey',
          message: 'unknown field "global.connectivity.notAKey"',
        },
        { path: 'notATopLevelKey', message: 'unknown field "notATopLevelKey"' },
      ]);
    });

    it('accepts global.notAKey like Helm does (global is open), but flags it on request', () => {
      const values = clusterAwsValues({ notAKey: 'typo' });
      expect(validator.validate('cluster-aws', values)).toEqual([]);
      expect(
        validator.validate('cluster-aws', values, {
          rejectUndeclaredKeys: true,
        }),
      ).toEqual([
        { path: 'global.notAKey', message: 'undeclared key "global.notAKey"' },
      ]);
    });

    it('follows $refs and maps when looking for undeclared keys', () => {
      const values = clusterAwsValues({
        nodePools: { pool0: { maxSize: 2, minSize: 1, notAKey: 1 } },
      });
      const issues = validator.validate('cluster-aws', values, {
        rejectUndeclaredKeys: true,
      });
      expect(issues.map(i => i.path)).toEqual([
        'global.nodePools.pool0.notAKey',
      ]);
    });

    it('reports missing required keys and wrong types', () => {
      const values = clusterAwsValues({
        release: undefined,
        nodePools: { pool0: { maxSize: 'two' } },
      });
      expect(byPath(validator.validate('cluster-aws', values))).toEqual([
        { path: 'global.nodePools.pool0.maxSize', message: 'must be integer' },
        { path: 'global.release', message: 'required field is missing' },
      ]);
    });

    it('validates cluster-eks values with its own schema', () => {
      expect(validator.validate('cluster-eks', {})).toEqual([]);
      expect(validator.validate('cluster-eks', { notAKey: 1 })).toEqual([
        { path: 'notAKey', message: 'unknown field "notAKey"' },
      ]);
    });
  },
);
