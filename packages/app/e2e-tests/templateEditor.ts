import { expect, Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

/** A template of the repository's `examples/templates`, by its folder. */
export function exampleTemplate(name: string): string {
  return path.resolve(
    __dirname,
    `../../../examples/templates/${name}/template.yaml`,
  );
}

/**
 * Opens a template of this repository in the scaffolder's template editor (`/create/edit`), whose
 * form runs the template as a dry run. The editor opens a local directory through the File System
 * Access API; a headless browser cannot answer the native directory picker, so the picker hands
 * over a directory of the origin's private file system (a real FileSystemDirectoryHandle) holding
 * the template. Call before signing in: the picker is replaced on every page the test opens.
 */
export async function provideTemplateDirectory(page: Page, name: string) {
  await page.addInitScript(
    ({ directoryName, content }) => {
      (window as any).showDirectoryPicker = async () => {
        const root = await navigator.storage.getDirectory();
        const directory = await root.getDirectoryHandle(directoryName, {
          create: true,
        });
        const file = await directory.getFileHandle('template.yaml', {
          create: true,
        });
        const writable = await (file as any).createWritable();
        await writable.write(content);
        await writable.close();
        return directory;
      };
    },
    {
      directoryName: name,
      content: fs.readFileSync(exampleTemplate(name), 'utf8'),
    },
  );
}

/** The template editor with the directory {@link provideTemplateDirectory} handed over. */
export async function openTemplateEditor(page: Page) {
  await page.goto('/create/edit');
  await page.getByText('Load Template Directory').click();
  await expect(page).toHaveURL(/\/create\/edit\/template$/);
  await page.getByText('template.yaml', { exact: true }).click();
}

/**
 * Presses Create on the editor's review, which runs the template as a dry run, and returns the
 * scaffolder's answer (its steps, log, files and output), failing with its error unless it is 200.
 */
export async function createDryRun(page: Page): Promise<any> {
  const dryRunResponse = page.waitForResponse(
    r => r.url().includes('/api/scaffolder/v2/dry-run'),
    { timeout: 90_000 },
  );
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const response = await dryRunResponse;
  const dryRun = await response.json();
  expect(response.status(), JSON.stringify(dryRun.error)).toBe(200);
  return dryRun;
}
