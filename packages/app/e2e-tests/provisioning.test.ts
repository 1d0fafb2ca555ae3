import { expect, test } from '@playwright/test';

/*
 * The demo replays the provisioning of the guest's pay-dev (clusterdeck.snapshot.
 * replayProvisioning in app-config.yaml: a step every 15 seconds, again two minutes after it is
 * ready; the portal playwright.config.ts starts replays a step every 5 seconds, again 30 seconds
 * after ready, and the time limits below hold for the demo's pace too). With its page open, the Provisioning card moves to the next step without a reload,
 * pushed by the backend through signals; once every step is done, the payments team (the guest)
 * has the "cluster ready" notification.
 */

const PAY_DEV = '/catalog/default/resource/mc-eu-dev-pay-dev';
const BACKEND = process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';
/** 13 steps of 15 s, two minutes ready, and slack for a loaded machine. */
const ROUND_MS = 13 * 15_000 + 120_000 + 60_000;

test('an open cluster page follows the replayed provisioning, and the guest is told it is ready', async ({
  page,
}) => {
  test.setTimeout(2 * ROUND_MS + 120_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: /Catalog/ }),
  ).toBeVisible();

  await page.goto(PAY_DEV);
  const card = page
    .locator('.MuiCard-root')
    .filter({
      has: page.locator('.MuiCardHeader-root', { hasText: /^Provisioning$/ }),
    })
    .first();
  // A freshly started backend answers before the catalog has taken in the fleet's entities.
  await expect(async () => {
    if (await page.getByText('Entity not found').isVisible())
      await page.reload();
    await expect(card).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
  await expect(card.getByTestId('provisioning-phase')).toBeVisible();

  // From here on the page is never loaded again: a marker on the window would be gone.
  await page.evaluate(() => {
    (window as any).clusterdeckNoReload = true;
  });
  const phase = card.getByTestId('provisioning-phase');
  // While the replay holds the cluster ready, wait for its next round.
  await expect(phase).toHaveText('provisioning', { timeout: ROUND_MS });
  const active = card.locator('[data-state="active"]');
  const activeStep = async () =>
    (await active.count()) ? active.first().getAttribute('data-testid') : null;
  let before = await activeStep();
  // The last steps are the node pools: wait for a step that has one after it.
  if (before === null) {
    await expect.poll(activeStep, { timeout: 60_000 }).not.toBeNull();
    before = await activeStep();
  }
  const roundStarted = Date.now();
  await expect
    .poll(activeStep, { timeout: 60_000, intervals: [500] })
    .not.toBe(before);
  // The step that was active is done now, with the time it became true.
  await expect(card.getByTestId(before!)).toHaveAttribute('data-state', 'done');

  await expect(phase).toHaveText('ready', { timeout: ROUND_MS });
  expect(await page.evaluate(() => (window as any).clusterdeckNoReload)).toBe(
    true,
  );

  // The notification, from the notifications backend as the guest reads it…
  const token = (
    await (
      await page.request.get(`${BACKEND}/api/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      })
    ).json()
  ).backstageIdentity.token as string;
  let readyNotice:
    | {
        payload: { title: string; link?: string; severity?: string };
        updated?: string | number;
        created: string;
      }
    | undefined;
  await expect
    .poll(
      async () => {
        const answer = await page.request.get(
          `${BACKEND}/api/notifications/notifications?search=pay-dev&limit=20`,
          { headers: { Authorization: `Bearer ${token}` } },
        );
        const body = await answer.json();
        readyNotice = (body.notifications ?? []).find(
          (n: { payload: { title: string } }) =>
            n.payload.title === 'Cluster pay-dev is ready',
        );
        // `updated` comes as epoch milliseconds or an ISO string, depending on the database.
        return readyNotice
          ? new Date(readyNotice.updated ?? readyNotice.created).getTime()
          : 0;
      },
      { timeout: 60_000, intervals: [1000] },
    )
    // …sent in this round, not an earlier one.
    .toBeGreaterThan(roundStarted - 15_000);
  expect(readyNotice!.payload).toMatchObject({
    link: PAY_DEV,
    severity: 'normal',
  });

  // …and in the portal's notifications page.
  await page.goto('/notifications');
  await expect(
    page.getByText('Cluster pay-dev is ready').first(),
  ).toBeVisible();
});
