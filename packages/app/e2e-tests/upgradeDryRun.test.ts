import { expect, Page, test } from '@playwright/test';
import path from 'node:path';
import { SCREENSHOTS } from './screenshots';
import {
  createDryRun,
  openTemplateEditor,
  provideTemplateDirectory,
} from './templateEditor';

/*
 * The upgrade template as the demo's team lead (the guest, a lead of the payments team): Create
 * lists it, its form offers the team's clusters, and its dry run in the template editor shows
 * the rendered diff of the GitOps change: pay-prod, a cluster-aws cluster on release 31.1.0, to
 * 32.0.0, a release the demo's platform team offers (clusterdeck.references.releases).
 */

const CLUSTER = /^pay-prod · mc-eu-prod · production · ec2/;
const TARGET = '32.0.0';

async function shot(page: Page, name: string) {
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await page.waitForTimeout(400);
  await page.screenshot({
    path: path.join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
  });
}

/** Picks the cluster and types the target in the template's only step. */
async function fillClusterAndTarget(page: Page) {
  const form = page.locator('form');
  const cluster = form.getByLabel(/^Cluster/);
  // The picker is disabled while it loads the team's clusters.
  await expect(cluster).not.toHaveAttribute('aria-disabled', 'true');
  await cluster.click();
  // Only the team's clusters are offered.
  await expect(page.getByRole('option', { name: /^web-prod/ })).toHaveCount(0);
  await page.getByRole('option', { name: CLUSTER }).click();
  await form.getByLabel(/^Target/).fill(TARGET);
}

test("the upgrade template's dry run shows the diff of the GitOps change", async ({
  page,
}) => {
  await provideTemplateDirectory(page, 'upgrade-cluster');
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: /Catalog/ }),
  ).toBeVisible();

  // Create lists the template; choosing it opens its form. A freshly started backend answers
  // before the catalog has taken in the templates: ask again until it has.
  const templateCard = page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Upgrade a cluster' })
    .first();
  await expect(async () => {
    await page.goto('/create');
    await expect(templateCard).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 120_000 });
  await templateCard
    .getByRole('button', { name: 'Choose' })
    .or(templateCard.getByRole('link', { name: 'Choose' }))
    .click();
  await expect(page).toHaveURL(/\/create\/templates\/default\/upgrade-cluster/);
  await fillClusterAndTarget(page);
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(
    page.getByText('mc-eu-prod/org-payments/pay-prod').first(),
  ).toBeVisible();
  await expect(page.getByText(TARGET).first()).toBeVisible();
  // Creating here would propose the change for real; the dry run is the template editor's.

  await openTemplateEditor(page);
  await fillClusterAndTarget(page);
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  const dryRun = await createDryRun(page);
  expect(dryRun.steps.map((s: { id: string }) => s.id)).toEqual([
    'fetch',
    'upgrade',
    'publish',
  ]);
  const outputText = JSON.stringify(dryRun.output);
  expect(outputText).toContain('Upgrade pay-prod to release 32.0.0');

  // The step's log ends with the diff, one line each: the cluster request's old and new release
  // (the log viewer draws the lines in view, the end of the log).
  await expect(page.getByText('Dry-run results')).toBeVisible();
  await page.getByRole('tab', { name: 'Log' }).click();
  await page.getByText('Upgrade the cluster').last().click();
  const removed = page.getByText(/-\s+release: 31\.1\.0/).last();
  const added = page.getByText(/\+\s+release: 32\.0\.0/).last();
  await expect(removed).toBeVisible();
  await expect(added).toBeVisible();
  await shot(page, '13-upgrade-dry-run-diff');

  // The template's output carries the same diff, as the proposal's description will.
  await page.getByRole('tab', { name: 'Output' }).click();
  await expect(page.locator('.cm-content').last()).toContainText(
    'Upgrade pay-prod to release 32.0.0',
  );
  expect(outputText).toMatch(/\\n-\s+version: 31\.1\.0\\n/);
  expect(outputText).toMatch(/\\n\+\s+version: 32\.0\.0\\n/);
});
