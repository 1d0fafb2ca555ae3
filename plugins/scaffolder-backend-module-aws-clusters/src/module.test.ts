import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACTION_IDS } from './__testUtils__/fixtures';
import { scaffolderModuleAwsClusters } from './module';

jest.setTimeout(60_000);

describe('scaffolderModuleAwsClusters', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterdeck-module-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exposes every Clusterdeck action through the scaffolder', async () => {
    const backend = await startTestBackend({
      features: [
        mockServices.scheduler.factory(),
        scaffolderPlugin,
        scaffolderModuleAwsClusters,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            clusterdeck: {
              gitops: { localRepository: path.join(dir, 'gitops') },
            },
          },
        }),
      ],
    });
    try {
      const port = (backend.server.address() as { port: number }).port;
      const res = await fetch(
        `http://127.0.0.1:${port}/api/scaffolder/v2/actions`,
        {
          headers: { Authorization: mockCredentials.user.header() },
        },
      );
      expect(res.status).toBe(200);
      const actions: Array<{
        id: string;
        schema?: { input?: unknown; output?: unknown };
      }> = await res.json();
      const ours = actions.filter(action =>
        action.id.startsWith('clusterdeck:'),
      );
      expect(ours.map(action => action.id).sort()).toEqual(
        [...ACTION_IDS].sort(),
      );
      // Template authors rely on the published schemas, so every action must describe its input.
      for (const action of ours) {
        expect(action.schema?.input).toEqual(
          expect.objectContaining({ type: 'object' }),
        );
      }
    } finally {
      await backend.stop();
    }
  });
});
