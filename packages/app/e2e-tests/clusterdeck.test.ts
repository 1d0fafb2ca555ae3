import { expect, Page, test } from '@playwright/test';
import path from 'node:path';

/*
 * A team lead's walk through the demo: sign in as the guest (a lead of the payments team),
 * open the team's clusters and one of them, see its cards with the demo fleet's data, and open
 * the request-a-cluster template with its account picker. Each step is saved as
 * a screenshot in docs/screenshots, which the README shows.
 */

const SCREENSHOTS = path.resolve(__dirname, '../../../docs/screenshots');

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

test('a team lead signs in and reads a cluster of the team', async ({ page }) => {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await shot(page, '01-sign-in');
  await enter.click();
  await expect(page.getByRole('heading', { level: 1, name: /Catalog/ })).toBeVisible();

  await page.goto('/catalog/default/group/payments/clusters');
  await expect(page.getByRole('link', { name: 'pay-prod' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'pay-dev' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'web-prod' })).toHaveCount(0);
  await shot(page, '02-team-clusters');

  await page.getByRole('link', { name: 'pay-prod' }).click();
  await expect(page.getByRole('heading', { name: /pay-prod/ }).first()).toBeVisible();
  await expect(page.getByText('Isolation boundaries')).toBeVisible();
  await expect(page.getByText('Node-pool scaling')).toBeVisible();
  // The demo data arrived: the pool at its maximum and the account's access model.
  await expect(page.getByText(/audited-no-access|no human write access/).first()).toBeVisible();
  await shot(page, '03-cluster-cards');
  const topology = page.getByText('Cluster topology');
  await expect(topology).toBeVisible();
  await topology.scrollIntoViewIfNeeded();
  await expect(page.getByText(/10\.10\.0\.0\/16/).first()).toBeVisible();
  await page.locator('xpath=//*[text()="Cluster topology"]/ancestor::*[contains(@class,"MuiCard-root")][1]').screenshot({ path: path.join(SCREENSHOTS, '03b-cluster-topology.png') });

  // The request-a-cluster template, with Clusterdeck's form fields reading the demo fleet.
  await page.goto('/create/templates/default/request-cluster');
  await expect(page.getByText('Request a cluster').first()).toBeVisible();
  await page.getByLabel(/AWS account/).click();
  await expect(page.getByRole('option', { name: /production \(123456789012\) · production · \d+ VPCs/ })).toBeVisible();
  await page.getByRole('option', { name: /production \(123456789012\)/ }).click();
  await shot(page, '04-request-cluster');
});
