import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { EXAMPLE_REQUESTS_DIR } from '@clusterdeck/test-utils';
import { runCli } from './main';

const example = (file: string) => path.join(EXAMPLE_REQUESTS_DIR, file);

describe('clusterdeck command line', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('validates every example request', async () => {
    const files = fs.readdirSync(EXAMPLE_REQUESTS_DIR).map(f => example(f));
    expect(await runCli(['validate', ...files])).toEqual({
      stdout: `${files.length} requests valid\n`,
      stderr: '',
      exitCode: 0,
    });
  });

  it.each(['capi', 'cluster-aws'])(
    'renders a request as multi-document YAML in the %s format',
    async format => {
      const outcome = await runCli([
        'render',
        example('pay-prod.yaml'),
        '--format',
        format,
      ]);
      expect(outcome.exitCode).toBe(0);
      const docs = parseAllDocuments(outcome.stdout).map(d => d.toJS());
      expect(docs.length).toBeGreaterThanOrEqual(2);
      expect(
        docs.every(
          d => typeof d.apiVersion === 'string' && typeof d.kind === 'string',
        ),
      ).toBe(true);
    },
  );

  it('prints every problem with its dotted path and exits 1', async () => {
    const source = fs.readFileSync(example('pay-prod.yaml'), 'utf8');
    const file = write(
      'bad.yaml',
      source
        .replace('minSize: 3', 'minSize: 30')
        .replace('region: eu-west-1', 'region: eu-west-1\n  colour: blue'),
    );
    const outcome = await runCli(['validate', file]);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toContain(
      `${file}: spec.colour: is not a known field`,
    );
    const fixedColour = write(
      'bad2.yaml',
      source.replace('minSize: 3', 'minSize: 30'),
    );
    expect((await runCli(['validate', fixedColour])).stderr).toBe(
      `${fixedColour}: spec.nodePools[0].minSize: must not exceed maxSize (10)\n`,
    );
  });

  it('reports a file that is not YAML in one line, without a stack trace', async () => {
    const file = write('broken.yaml', 'spec: [unclosed\n  name: x: y');
    const outcome = await runCli(['validate', file]);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stderr).toMatch(
      /is not valid YAML \(line \d+, column \d+\)/,
    );
    expect(outcome.stderr).not.toMatch(/\n\s+at /);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reports a missing file, an empty file and a file of several documents', async () => {
    expect(
      (await runCli(['render', path.join(dir, 'nope.yaml')])).stderr,
    ).toMatch(/no such file/);
    expect(
      (await runCli(['validate', write('empty.yaml', '')])).stderr,
    ).toMatch(/exactly one ClusterRequest document, not 0/);
    expect(
      (await runCli(['validate', write('two.yaml', 'a: 1\n---\nb: 2\n')]))
        .stderr,
    ).toMatch(/not 2/);
    expect(
      (await runCli(['validate', write('scalar.yaml', '42\n')])).stderr,
    ).toMatch(/apiVersion/);
  });

  it('refuses an unknown format and needs the format-specific fields', async () => {
    expect(
      (await runCli(['render', example('pay-prod.yaml'), '--format', 'helm']))
        .exitCode,
    ).toBe(2);
    const source = fs.readFileSync(example('search-eks.yaml'), 'utf8');
    const outcome = await runCli([
      'render',
      write('nodomain.yaml', source),
      '--format',
      'cluster-aws',
    ]);
    expect(outcome.stderr).toMatch(/spec\.baseDomain: is required/);
    expect(
      (
        await runCli([
          'render',
          write('nodomain2.yaml', source),
          '--format',
          'cluster-aws',
          '--base-domain',
          'eu.example.com',
        ])
      ).exitCode,
    ).toBe(0);
  });

  it('says on stderr what the chart format changes or drops', async () => {
    const outcome = await runCli([
      'render',
      example('pay-prod.yaml'),
      '--format',
      'cluster-aws',
    ]);
    expect(outcome.stderr).toContain(
      'spec.kubernetesVersion: warning: dropped:',
    );
    expect(
      (await runCli(['render', example('pay-prod.yaml'), '--format', 'capi']))
        .stderr,
    ).toBe('');
  });

  it('prints help', async () => {
    const outcome = await runCli(['--help']);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toMatch(/render/);
  });
});
