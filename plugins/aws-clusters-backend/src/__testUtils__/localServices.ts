/* eslint-disable jest/no-export -- test utilities; databasesUnderTest registers a suite's hooks and its skip */
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

function portOpen(
  port: number,
  host = '127.0.0.1',
  timeoutMs = 500,
): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Makes the machine's PostgreSQL (127.0.0.1:5432, trust auth) available to TestDatabases,
 * starting it when it is installed but down. Returns why not when it cannot be had.
 */
export async function ensureLocalPostgres(): Promise<
  { ok: true } | { ok: false; reason: string }
> {
  if (!(await portOpen(5432))) {
    const versions = fs.existsSync('/etc/postgresql')
      ? fs.readdirSync('/etc/postgresql')
      : [];
    if (versions.length === 0)
      return { ok: false, reason: 'no PostgreSQL installed on this machine' };
    try {
      execSync(
        `pg_ctlcluster --skip-systemctl-redirect ${versions[0]} main start`,
        { stdio: 'ignore', timeout: 30_000 },
      );
    } catch (error) {
      return {
        ok: false,
        reason: `PostgreSQL did not start: ${(error as Error).message}`,
      };
    }
    for (let i = 0; i < 40 && !(await portOpen(5432)); i++)
      await new Promise(r => setTimeout(r, 250));
    if (!(await portOpen(5432)))
      return { ok: false, reason: 'PostgreSQL did not open 127.0.0.1:5432' };
  }
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
    'postgresql://postgres@127.0.0.1:5432';
  return { ok: true };
}

/** Whether this machine has a PostgreSQL server installed that tests may start. */
export function postgresInstalled(): boolean {
  return (
    fs.existsSync('/etc/postgresql') &&
    fs.readdirSync('/etc/postgresql').length > 0
  );
}

/** The connection string TestDatabases uses for the machine's PostgreSQL 15. */
export function useLocalPostgresForTests() {
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
    'postgresql://postgres@127.0.0.1:5432';
}

/**
 * The databases a suite runs on: SQLite, and the machine's PostgreSQL 15 where it is installed
 * (started before the suite when down). Where it is not, the suite reports a skipped test
 * `<subject> on POSTGRES_15` with the reason. Call at the top level of a test file.
 */
export function databasesUnderTest(subject: string): {
  ids: TestDatabaseId[];
  databases: TestDatabases;
} {
  const ids: TestDatabaseId[] = postgresInstalled()
    ? ['SQLITE_3', 'POSTGRES_15']
    : ['SQLITE_3'];
  useLocalPostgresForTests();
  const databases = TestDatabases.create({ ids });
  if (!ids.includes('POSTGRES_15')) {
    // eslint-disable-next-line jest/no-disabled-tests, jest/expect-expect -- a skip that says why
    it.skip(`${subject} on POSTGRES_15 (skipped: no PostgreSQL installed on this machine)`, () => {});
  }
  beforeAll(async () => {
    if (ids.includes('POSTGRES_15')) {
      const postgres = await ensureLocalPostgres();
      if (!postgres.ok) throw new Error(postgres.reason);
    }
  });
  return { ids, databases };
}
