#!/usr/bin/env node
/*
 * Generates (or with --ci, checks) the API reports of every publishable package with Backstage's
 * repo-tools: report.api.md per entry point, and cli-report.md for the command line. Run `yarn tsc`
 * first: the reports are read from the declarations it writes to dist-types/.
 *
 * Undocumented members and declaration inputs are not reported (as in Backstage's own
 * repository); every other API Extractor warning (a missing release tag, an export the entry
 * point forgets) fails the run.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** The packages a platform team installs or runs: not private, not the demo app and backend. */
function publishablePackages() {
  return ['plugins', 'packages'].flatMap(dir =>
    fs
      .readdirSync(path.join(root, dir))
      .map(name => path.join(dir, name))
      .filter(pkg => {
        const file = path.join(root, pkg, 'package.json');
        if (!fs.existsSync(file)) return false;
        const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
        return !manifest.private;
      })
      .sort(),
  );
}

const args = [
  'backstage-repo-tools',
  'api-reports',
  ...(process.argv.includes('--ci') ? ['--ci'] : []),
  '-o',
  'ae-wrong-input-file-type,ae-undocumented',
  '--validate-release-tags',
  ...publishablePackages(),
];
const run = spawnSync('yarn', args, { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
