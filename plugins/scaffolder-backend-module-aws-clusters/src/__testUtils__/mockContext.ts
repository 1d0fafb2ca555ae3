import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { CheckpointStore } from './checkpointStore';

/** An action context whose spies tests can inspect. */
export type MockActionContext = ActionContext<any, any> & {
  output: jest.Mock;
  checkpoint: jest.Mock;
  getInitiatorCredentials: jest.Mock;
};

/**
 * `createMockActionContext` with what it does not take as options: the initiator (a user, or
 * any credentials), dry run, the task's abort signal, and a checkpoint store that survives
 * retries. Its own `checkpoint` runs the function; it is wrapped in a spy so tests can see which
 * checkpoints a run went through.
 */
export function mockContext<TInput extends Record<string, any>>(options: {
  input: TInput;
  user?: string;
  credentials?: BackstageCredentials;
  isDryRun?: boolean;
  checkpoints?: CheckpointStore;
  workspacePath?: string;
  signal?: AbortSignal;
}): MockActionContext {
  const base = createMockActionContext<TInput>({
    input: options.input,
    ...(options.workspacePath ? { workspacePath: options.workspacePath } : {}),
  });
  const credentials = options.credentials ?? mockCredentials.user(options.user);
  const inner = options.checkpoints?.checkpoint ?? base.checkpoint.bind(base);
  return {
    ...base,
    logger: mockServices.logger.mock(),
    isDryRun: options.isDryRun ?? false,
    signal: options.signal,
    getInitiatorCredentials: jest.fn(async () => credentials),
    checkpoint: jest.fn(inner),
  } as unknown as MockActionContext;
}

/** Everything a context's step logged at info level, one message per line. */
export function loggedInfo(ctx: { logger: unknown }): string {
  return (ctx.logger as { info: jest.Mock }).info.mock.calls
    .map(([message]) => message)
    .join('\n');
}

/** The keys of the checkpoints a context went through. */
export function checkpointKeys(ctx: { checkpoint: unknown }): string[] {
  return (ctx.checkpoint as jest.Mock).mock.calls.map(([opts]) => opts.key);
}
