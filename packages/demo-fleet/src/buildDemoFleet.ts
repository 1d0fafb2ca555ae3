import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  formatPath,
  type ClusterRequestInput,
} from '@clusterdeck/plugin-aws-clusters-common';
import type { FleetSnapshot } from '@clusterdeck/plugin-aws-clusters-node';
import {
  ClusterScenario,
  FleetDefinition,
  fleetFileSchema,
} from './fleetDefinition';
import { simulateCosts } from './simulateCosts';
import { simulateFleet } from './simulateFleet';
import {
  RECORDED_COST_FILE,
  writeSnapshotDirectory,
} from '@clusterdeck/plugin-aws-clusters-node';

/** @public The committed demo fleet: `fleet.yaml` and the snapshot written from it. */
// The demo fleet is the repository's own example; the generator runs from a checkout of it.
// eslint-disable-next-line no-restricted-syntax
const SOURCE_DIR = __dirname;
export const DEMO_FLEET_DIR = path.resolve(
  SOURCE_DIR,
  '../../../examples/demo-fleet',
);

function readYaml(file: string): unknown {
  try {
    return parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * Reads a fleet file: a fleet definition in YAML whose clusters give their ClusterRequest
 * inline (`request`) or by a path relative to the file (`requestFile`), so that the example
 * requests are reused rather than copied.
 * @public
 */
export function loadFleetFile(file: string): FleetDefinition {
  const parsed = fleetFileSchema.safeParse(readYaml(file));
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      issue => `${formatPath(issue.path)}: ${issue.message}`,
    );
    throw new Error(
      `${file} is not a fleet definition:\n${problems.join('\n')}`,
    );
  }
  const { clusters, ...fleet } = parsed.data;
  const scenarios: ClusterScenario[] = clusters.map(entry => {
    const { request, requestFile, ...scenario } = {
      request: undefined,
      requestFile: undefined,
      ...entry,
    };
    const body = requestFile
      ? readYaml(path.resolve(path.dirname(file), requestFile))
      : request;
    return { ...scenario, request: body as ClusterRequestInput };
  });
  return { ...fleet, clusters: scenarios };
}

/** @public Builds the demo fleet's snapshot from `<dir>/fleet.yaml` in memory. */
export function buildDemoFleet(dir: string = DEMO_FLEET_DIR): FleetSnapshot {
  return simulateFleet(loadFleetFile(path.join(dir, 'fleet.yaml')));
}

/**
 * @public The demo's recorded Cost Explorer answer ({@link RECORDED_COST_FILE}), by path relative
 * to the demo folder, with its text: the cost of the fleet as it stands at the definition's moment.
 */
export function demoCostFiles(
  snapshot: FleetSnapshot,
  dir: string = DEMO_FLEET_DIR,
): Map<string, string> {
  const { now } = loadFleetFile(path.join(dir, 'fleet.yaml'));
  const at = Date.parse(now ?? snapshot.aws[0]?.fetchedAt ?? '');
  return new Map([
    [
      RECORDED_COST_FILE,
      `${JSON.stringify(simulateCosts(snapshot, at), null, 2)}\n`,
    ],
  ]);
}

/** @public Rebuilds the demo fleet and writes it next to its `fleet.yaml`; returns the files written. */
export function writeDemoFleet(
  dir: string = DEMO_FLEET_DIR,
  out: string = dir,
): string[] {
  const snapshot = buildDemoFleet(dir);
  const written = writeSnapshotDirectory(out, snapshot);
  for (const [file, text] of demoCostFiles(snapshot, dir)) {
    fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    fs.writeFileSync(path.join(out, file), text, 'utf8');
    written.push(file);
  }
  return written;
}
