import fs from 'node:fs';
import path from 'node:path';
import type { FleetSnapshot } from '../types';

/** @public The subfolder of a snapshot directory that holds `<accountId>/<region>.json`. */
export const AWS_SNAPSHOT_DIR = 'aws';
/** @public The subfolder of a snapshot directory that holds `<name>.json` per management cluster. */
export const MANAGEMENT_CLUSTER_SNAPSHOT_DIR = 'management-clusters';

/** JSON as committed: two-space indents and a final newline, so diffs stay readable. */
function pretty(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The files of a snapshot directory, by path relative to it (always with `/`), with their text.
 * Used both to write a directory and to compare a committed one with a fresh build.
 * @public
 */
export function snapshotFiles(snapshot: FleetSnapshot): Map<string, string> {
  const files = new Map<string, string>();
  for (const region of snapshot.aws) {
    files.set(
      `${AWS_SNAPSHOT_DIR}/${region.accountId}/${region.region}.json`,
      pretty(region),
    );
  }
  for (const mc of snapshot.managementClusters) {
    files.set(`${MANAGEMENT_CLUSTER_SNAPSHOT_DIR}/${mc.name}.json`, pretty(mc));
  }
  return files;
}

/**
 * Writes a snapshot into `directory` in the layout `SnapshotSource` reads. The `aws` and
 * `management-clusters` folders are replaced whole, so that no file of an earlier fleet lingers;
 * anything else in the directory (a README, the fleet definition) is left alone. Returns the
 * relative paths written.
 * @public
 */
export function writeSnapshotDirectory(
  directory: string,
  snapshot: FleetSnapshot,
): string[] {
  for (const sub of [AWS_SNAPSHOT_DIR, MANAGEMENT_CLUSTER_SNAPSHOT_DIR]) {
    fs.rmSync(path.join(directory, sub), { recursive: true, force: true });
  }
  const written: string[] = [];
  const made = new Set<string>();
  // One region at a time: serialising a thousand clusters at once would hold every file's text.
  for (const region of snapshot.aws) {
    const relative = `${AWS_SNAPSHOT_DIR}/${region.accountId}/${region.region}.json`;
    writeOne(directory, relative, pretty(region), made);
    written.push(relative);
  }
  for (const mc of snapshot.managementClusters) {
    const relative = `${MANAGEMENT_CLUSTER_SNAPSHOT_DIR}/${mc.name}.json`;
    writeOne(directory, relative, pretty(mc), made);
    written.push(relative);
  }
  return written;
}

function writeOne(
  directory: string,
  relative: string,
  text: string,
  made: Set<string>,
) {
  const file = path.join(directory, ...relative.split('/'));
  const parent = path.dirname(file);
  if (!made.has(parent)) {
    fs.mkdirSync(parent, { recursive: true });
    made.add(parent);
  }
  fs.writeFileSync(file, text);
}
