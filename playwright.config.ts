import { defineConfig } from '@playwright/test';
import fs from 'node:fs';

/**
 * End-to-end tests of the portal in Debian's Chromium (`apt-get install -y chromium`), never a
 * downloaded browser: `yarn test:e2e` starts the portal with the demo fleet unless one is
 * running already (PLAYWRIGHT_URL points elsewhere), signs in as the guest and walks through
 * the team's clusters, a cluster's cards and a dry run of a template. Screenshots of each step
 * land in `test-results/screenshots/` (`docs/screenshots/` with UPDATE_SCREENSHOTS=1).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  webServer: process.env.PLAYWRIGHT_URL
    ? []
    : [
        {
          command: 'yarn start app',
          url: 'http://localhost:3000',
          reuseExistingServer: true,
          timeout: 300_000,
        },
        {
          command: 'yarn start backend',
          url: 'http://localhost:7007/api/aws-clusters/health',
          reuseExistingServer: true,
          timeout: 300_000,
          // The demo's replayed provisioning (clusterdeck.snapshot.replayProvisioning), faster than
          // the demo's 15 s a step, so that the provisioning test sees a round in about 1.5 min.
          env: {
            APP_CONFIG_clusterdeck_snapshot_replayProvisioning_stepSeconds: '5',
            APP_CONFIG_clusterdeck_snapshot_replayProvisioning_repeatAfterSeconds:
              '30',
          },
        },
      ],
  forbidOnly: !!process.env.CI,
  reporter: [
    ['list'],
    [
      'json',
      { outputFile: 'node_modules/.cache/e2e-test-results/results.json' },
    ],
  ],
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: fs.existsSync(CHROMIUM) ? CHROMIUM : undefined,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    screenshot: 'only-on-failure',
  },
  outputDir: 'node_modules/.cache/e2e-test-results',
});
