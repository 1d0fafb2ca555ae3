import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  AWS_LIST_KEYS,
  emptyAwsRegionSnapshot,
  emptyManagementClusterObjects,
  AwsRegionSnapshot,
  CostAndUsagePage,
  CostAndUsageQuery,
  FleetSnapshot,
  FleetSource,
  MANAGEMENT_CLUSTER_KIND_KEYS,
  ManagementClusterSnapshot,
  SourceError,
} from '../types';
import { readRecordedCostAndUsage } from './recordedCosts';
import {
  readRecordedManagementCluster,
  readRecordedRegion,
} from './recordedLayout';
import {
  AWS_SNAPSHOT_DIR,
  MANAGEMENT_CLUSTER_SNAPSHOT_DIR,
} from './snapshotFiles';

/** @public Where a {@link SnapshotSource} reads from. */
export interface SnapshotSourceOptions {
  /** The snapshot directory; relative paths resolve against the working directory. */
  directory: string;
}

// Light checks only: the outer shape the join indexes by, not every SDK field. A list that is
// missing reads as empty, so that snapshots recorded before a list existed stay readable.
const resourceList = z.array(z.record(z.string(), z.unknown())).default([]);
const sourceErrorSchema = z.object({
  source: z.string(),
  operation: z.string(),
  code: z.string().optional(),
  message: z.string(),
  at: z.string(),
});

const awsSnapshotSchema = z.object({
  accountId: z
    .string()
    .regex(/^\d{12}$/, { error: 'must be a 12-digit account id' }),
  region: z.string().min(1),
  fetchedAt: z.string(),
  ...Object.fromEntries(AWS_LIST_KEYS.map(key => [key, resourceList])),
  errors: z.array(sourceErrorSchema).default([]),
});

const kubeObjectSchema = z.object({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.object({ name: z.string().min(1) }).loose(),
});

const mcSnapshotSchema = z.object({
  name: z.string().min(1),
  fetchedAt: z.string(),
  objects: z.object(
    Object.fromEntries(
      MANAGEMENT_CLUSTER_KIND_KEYS.map(key => [
        key,
        z.array(kubeObjectSchema.loose()).default([]),
      ]),
    ),
  ),
  errors: z.array(sourceErrorSchema).default([]),
});

function problemText(error: z.ZodError): string {
  const [first] = error.issues;
  const where = first.path.length ? first.path.join('.') : '(top level)';
  const more =
    error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${where}: ${first.message}${more}`;
}

function emptyMc(
  name: string,
  at: string,
  errors: SourceError[],
): ManagementClusterSnapshot {
  return {
    name,
    fetchedAt: at,
    objects: emptyManagementClusterObjects(),
    errors,
  };
}

/** Reads and parses one JSON file; a failure comes back as the error of the snapshot it stands for. */
async function readJson(
  file: string,
  shown: string,
): Promise<{ value: unknown } | { code: string; message: string }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    return {
      code: err.code ?? 'ReadError',
      message: `${shown} cannot be read: ${err.message}`,
    };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return {
      code: 'MalformedSnapshot',
      message: `${shown} is not valid JSON: ${(error as Error).message}`,
    };
  }
}

async function listDirectory(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function snapshotError(
  source: string,
  file: string,
  code: string,
  message: string,
): SourceError {
  return {
    source,
    operation: `read ${file}`,
    code,
    message,
    at: new Date().toISOString(),
  };
}

/**
 * A fleet source that reads recorded snapshots from a directory: `aws/<accountId>/<region>.json`
 * (one `AwsRegionSnapshot` each) and `management-clusters/<name>.json` (one
 * `ManagementClusterSnapshot` each), the layout the demo fleet, `fleet-generate` and
 * `fleet-record` write; or, in place of either file, a folder of raw recordings: one file per
 * SDK operation's output (`aws/<accountId>/<region>/ec2.DescribeVpcs.json`, ...; see
 * `RECORDED_AWS_FILES`) and one `kubectl get -o yaml` list per kind
 * (`management-clusters/<name>/clusters.yaml`, ...). Every
 * `collect` reads the files again, so edits show at the next refresh. A file that cannot be read
 * or does not have the expected shape becomes a `SourceError` (naming the file) in the snapshot
 * it stands for, with empty lists; only a missing or unreadable directory fails the whole source.
 * @public
 */
export class SnapshotSource implements FleetSource {
  readonly name = 'snapshot';
  private readonly directory: string;

  constructor(options: SnapshotSourceOptions) {
    this.directory = path.resolve(options.directory);
  }

  async collect(options?: {
    signal?: AbortSignal;
  }): Promise<Partial<FleetSnapshot>> {
    await fs.access(this.directory).catch(() => {
      throw new Error(
        `snapshot directory ${this.directory} does not exist or cannot be read`,
      );
    });
    const aws = await this.readAws(options?.signal);
    const managementClusters = await this.readManagementClusters(
      options?.signal,
    );
    return { aws, managementClusters };
  }

  /** Cost Explorer's answer as recorded in the snapshot directory. */
  getCostAndUsage(query: CostAndUsageQuery): Promise<CostAndUsagePage> {
    return readRecordedCostAndUsage(this.directory, query);
  }

  private async readAws(signal?: AbortSignal): Promise<AwsRegionSnapshot[]> {
    const root = path.join(this.directory, AWS_SNAPSHOT_DIR);
    const snapshots: AwsRegionSnapshot[] = [];
    for (const accountId of await listDirectory(root)) {
      const accountDir = path.join(root, accountId);
      if (!(await fs.stat(accountDir)).isDirectory()) continue;
      for (const entry of await listDirectory(accountDir)) {
        signal?.throwIfAborted();
        const full = path.join(accountDir, entry);
        if (entry.endsWith('.json')) {
          snapshots.push(
            await this.readAwsFile(
              full,
              accountId,
              entry.slice(0, -'.json'.length),
            ),
          );
        } else if ((await fs.stat(full)).isDirectory()) {
          snapshots.push(
            await this.checkedAws(
              await readRecordedRegion(
                full,
                accountId,
                entry,
                this.relative(full),
              ),
              this.relative(full),
            ),
          );
        }
      }
    }
    return snapshots;
  }

  private async readAwsFile(
    file: string,
    accountId: string,
    region: string,
  ): Promise<AwsRegionSnapshot> {
    const shown = this.relative(file);
    const fail = (code: string, message: string) =>
      emptyAwsRegionSnapshot(accountId, region, new Date().toISOString(), [
        snapshotError(`aws:${accountId}:${region}`, shown, code, message),
      ]);
    const read = await readJson(file, shown);
    if (!('value' in read)) return fail(read.code, read.message);
    const parsed = awsSnapshotSchema.safeParse(read.value);
    if (!parsed.success)
      return fail(
        'MalformedSnapshot',
        `${shown}: ${problemText(parsed.error)}`,
      );
    const snapshot = parsed.data as unknown as AwsRegionSnapshot;
    if (snapshot.accountId !== accountId || snapshot.region !== region) {
      return fail(
        'MalformedSnapshot',
        `${shown} holds ${snapshot.accountId}/${snapshot.region}, not ${accountId}/${region} as its path says`,
      );
    }
    return snapshot;
  }

  /** A region read from per-operation files, held to the same light checks as a region file. */
  private async checkedAws(
    snapshot: AwsRegionSnapshot,
    shown: string,
  ): Promise<AwsRegionSnapshot> {
    const parsed = awsSnapshotSchema.safeParse(snapshot);
    if (parsed.success) return snapshot;
    return emptyAwsRegionSnapshot(
      snapshot.accountId,
      snapshot.region,
      snapshot.fetchedAt,
      [
        ...snapshot.errors,
        snapshotError(
          `aws:${snapshot.accountId}:${snapshot.region}`,
          shown,
          'MalformedSnapshot',
          `${shown}: ${problemText(parsed.error)}`,
        ),
      ],
    );
  }

  private async readManagementClusters(
    signal?: AbortSignal,
  ): Promise<ManagementClusterSnapshot[]> {
    const root = path.join(this.directory, MANAGEMENT_CLUSTER_SNAPSHOT_DIR);
    const snapshots: ManagementClusterSnapshot[] = [];
    for (const entry of await listDirectory(root)) {
      signal?.throwIfAborted();
      const full = path.join(root, entry);
      if (entry.endsWith('.json')) {
        snapshots.push(
          await this.readMcFile(full, entry.slice(0, -'.json'.length)),
        );
      } else if ((await fs.stat(full)).isDirectory()) {
        snapshots.push(
          await readRecordedManagementCluster(full, entry, this.relative(full)),
        );
      }
    }
    return snapshots;
  }

  private async readMcFile(
    file: string,
    name: string,
  ): Promise<ManagementClusterSnapshot> {
    const shown = this.relative(file);
    const fail = (code: string, message: string) =>
      emptyMc(name, new Date().toISOString(), [
        snapshotError(`kubernetes:${name}`, shown, code, message),
      ]);
    const read = await readJson(file, shown);
    if (!('value' in read)) return fail(read.code, read.message);
    const parsed = mcSnapshotSchema.safeParse(read.value);
    if (!parsed.success)
      return fail(
        'MalformedSnapshot',
        `${shown}: ${problemText(parsed.error)}`,
      );
    const snapshot = parsed.data as unknown as ManagementClusterSnapshot;
    if (snapshot.name !== name) {
      return fail(
        'MalformedSnapshot',
        `${shown} holds management cluster ${snapshot.name}, not ${name} as its file name says`,
      );
    }
    return snapshot;
  }

  /** A file's path inside the snapshot directory, as errors name it. */
  private relative(file: string): string {
    return path.relative(this.directory, file).split(path.sep).join('/');
  }
}
