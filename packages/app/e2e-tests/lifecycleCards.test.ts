import { expect, test } from '@playwright/test';

/*
 * The cluster page of the demo's pay-prod (a cluster-aws cluster of the guest's payments team):
 * the version support badge, the Connect card with the platform's login command filled in and
 * its copy button, and the Cost card with the recorded Cost Explorer figures.
 */
test('a cluster page shows its version support, how to connect and what it costs', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: /Catalog/ }),
  ).toBeVisible();
  await page.goto('/catalog/default/resource/mc-eu-prod-pay-prod');
  // A freshly started backend answers before the catalog has taken in the fleet's entities.
  await expect(async () => {
    if (await page.getByText('Entity not found').isVisible())
      await page.reload();
    await expect(page.getByText('Version support')).toBeVisible({
      timeout: 10_000,
    });
  }).toPass({ timeout: 90_000 });

  const badge = page.getByLabel(
    /^(Supported|Extended support|Support ending|Unsupported): (Kubernetes|Release) /,
  );
  await expect(badge.first()).toBeVisible();
  // pay-prod runs Kubernetes 1.33: the card names its phase, end and days left.
  await expect(
    page.getByText(
      /^Kubernetes 1\.33: (standard|extended) support ends \d{4}-\d{2}-\d{2} \((in \d+ days|today)\)$/,
    ),
  ).toBeVisible();

  await expect(page.getByText('Connect', { exact: true })).toBeVisible();
  await expect(
    page.getByText(
      'kubectl gs login mc-eu-prod --workload-cluster pay-prod --organization payments',
    ),
  ).toBeVisible();
  await expect(
    page.getByRole('button', { name: 'Copy: Log in to the cluster' }),
  ).toBeVisible();

  await expect(page.getByText('Cost', { exact: true })).toBeVisible();
  await expect(page.getByText('Oct 2026 so far')).toBeVisible();
  await expect(page.locator('span', { hasText: /^Sep 2026$/ })).toBeVisible();
  await expect(
    page.getByText(/^At this month’s pace: \$[\d,.]+/),
  ).toBeVisible();
  await expect(
    page.getByRole('img', { name: /^cost per month: Jul 2026 \$[\d,.]+, / }),
  ).toBeVisible();
});
