/*
 * The project outside the repository that installs Clusterdeck's tarballs the way a platform
 * team does: a Backstage monorepo with packages/backend and packages/app, Backstage's packages at
 * the ranges this repository's backend and app use (so the copied yarn.lock resolves them to the
 * same versions), and each @clusterdeck package resolved to its packed tarball.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const template = path.join(__dirname, 'template');

/** Backstage packages of the test backend, at the ranges of the repository's backend. */
const BACKEND_DEPENDENCIES = [
  '@backstage/backend-defaults',
  '@backstage/plugin-app-backend',
  '@backstage/plugin-auth-backend',
  '@backstage/plugin-auth-backend-module-guest-provider',
  '@backstage/plugin-catalog-backend',
  '@backstage/plugin-permission-backend',
  '@backstage/plugin-scaffolder-backend',
  'pg',
];

/** Packages of the test app, at the ranges of the repository's app. */
const APP_DEPENDENCIES = [
  '@backstage/cli',
  '@backstage/frontend-defaults',
  '@backstage/plugin-catalog',
  'react',
  'react-dom',
  'react-router',
  'react-router-dom',
];

/** What a platform team adds with `yarn add`, per workspace. */
const CLUSTERDECK_BACKEND = [
  '@clusterdeck/plugin-aws-clusters-backend',
  '@clusterdeck/plugin-aws-clusters-backend-module-snapshot',
  '@clusterdeck/plugin-catalog-backend-module-aws-clusters',
  '@clusterdeck/plugin-scaffolder-backend-module-aws-clusters',
];
const CLUSTERDECK_APP = ['@clusterdeck/plugin-aws-clusters'];

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function sha256(data) {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The ranges a repository package.json gives to the named dependencies. */
function rangesFrom(packageJson, names) {
  const pkg = readJson(path.join(root, packageJson));
  const all = { ...pkg.dependencies, ...pkg.devDependencies };
  return Object.fromEntries(
    names.map(name => {
      if (!all[name])
        throw new Error(`${packageJson} has no dependency on ${name}`);
      return [name, all[name]];
    }),
  );
}

function writeIfChanged(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return;
  fs.writeFileSync(file, content);
}

function writeJson(file, value) {
  writeIfChanged(file, `${JSON.stringify(value, null, 2)}\n`);
}

function copyTemplate(relative, dir) {
  writeIfChanged(
    path.join(dir, relative),
    fs.readFileSync(path.join(template, relative), 'utf8'),
  );
}

/**
 * Writes the project into `dir` (kept between runs: its node_modules is the cache), with
 * `tarballs` ({ name, version, file } of each packed package) copied in under names that carry
 * their content hash, so that Yarn takes a changed tarball as a new package.
 */
function writeProject(dir, tarballs) {
  fs.mkdirSync(dir, { recursive: true });
  const lockfile = path.join(dir, 'yarn.lock');
  if (!fs.existsSync(lockfile))
    fs.copyFileSync(path.join(root, 'yarn.lock'), lockfile);

  const tarballDir = path.join(dir, 'tarballs');
  fs.rmSync(tarballDir, { recursive: true, force: true });
  fs.mkdirSync(tarballDir);
  const resolutions = {};
  const versions = {};
  for (const tarball of tarballs) {
    const data = fs.readFileSync(tarball.file);
    const name = `${tarball.name.replace('@', '').replace('/', '-')}-${
      tarball.version
    }-${sha256(data).slice(0, 12)}.tgz`;
    fs.writeFileSync(path.join(tarballDir, name), data);
    resolutions[tarball.name] = `file:./tarballs/${name}`;
    versions[tarball.name] = `^${tarball.version}`;
  }

  const rootPkg = readJson(path.join(root, 'package.json'));
  writeJson(path.join(dir, 'package.json'), {
    name: 'clusterdeck-install-test',
    version: '0.0.0',
    private: true,
    engines: rootPkg.engines,
    workspaces: ['packages/*'],
    devDependencies: rangesFrom('package.json', ['@backstage/cli-defaults']),
    resolutions: { ...rootPkg.resolutions, ...resolutions },
  });
  const yarnrc = fs
    .readFileSync(path.join(root, '.yarnrc.yml'), 'utf8')
    .replace(/^yarnPath:.*$/m, '')
    .trim();
  writeIfChanged(
    path.join(dir, '.yarnrc.yml'),
    `${yarnrc}\nyarnPath: ${JSON.stringify(
      path.join(root, '.yarn/releases/yarn-4.13.0.cjs'),
    )}\n`,
  );

  const pick = names =>
    Object.fromEntries(
      names.map(name => {
        if (!versions[name]) throw new Error(`${name} was not packed`);
        return [name, versions[name]];
      }),
    );
  writeJson(path.join(dir, 'packages/backend/package.json'), {
    name: 'backend',
    version: '0.0.0',
    private: true,
    backstage: { role: 'backend' },
    scripts: { start: 'backstage-cli package start' },
    dependencies: {
      ...rangesFrom('packages/backend/package.json', BACKEND_DEPENDENCIES),
      ...pick(CLUSTERDECK_BACKEND),
      app: 'link:../app',
    },
    devDependencies: rangesFrom('packages/backend/package.json', [
      '@backstage/cli',
    ]),
  });
  writeJson(path.join(dir, 'packages/app/package.json'), {
    name: 'app',
    version: '0.0.0',
    private: true,
    bundled: true,
    backstage: { role: 'frontend' },
    scripts: { build: 'backstage-cli package build' },
    dependencies: {
      ...rangesFrom('packages/app/package.json', APP_DEPENDENCIES),
      ...pick(CLUSTERDECK_APP),
    },
    browserslist: { production: ['last 1 chrome version'] },
  });
  for (const file of [
    'backend/src/index.ts',
    'app/src/App.tsx',
    'app/src/index.tsx',
    'app/public/index.html',
  ])
    copyTemplate(file, path.join(dir, 'packages'));
}

/** A hash of what the app's bundle is built from, to skip a build whose inputs did not change. */
function appInputsHash(dir) {
  const files = [
    'yarn.lock',
    'packages/app/package.json',
    'packages/app/src/App.tsx',
    'packages/app/src/index.tsx',
    'packages/app/public/index.html',
  ];
  const resolved = readJson(path.join(dir, 'package.json')).resolutions;
  return sha256(
    JSON.stringify([
      files.map(f => fs.readFileSync(path.join(dir, f), 'utf8')),
      resolved,
    ]),
  );
}

module.exports = {
  CLUSTERDECK_APP,
  CLUSTERDECK_BACKEND,
  appInputsHash,
  sha256,
  writeProject,
};
