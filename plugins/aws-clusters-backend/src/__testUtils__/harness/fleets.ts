import { FleetSnapshot } from '@clusterdeck/plugin-aws-clusters-node';
import { generateFleet } from '@clusterdeck/demo-fleet';
import { generatedFleetConfig } from './generatedFleetConfig';

/**
 * The fleet of the reliability tests: 40 generated clusters of five teams in five accounts (one
 * team each) over two regions, with the configuration that matches it. Built once per test file.
 */
export const RELIABILITY_FLEET = {
  accounts: 5,
  clusters: 40,
  regions: 2,
  seed: 'reliability',
} as const;

let cached: FleetSnapshot | undefined;

/** A fresh copy of the reliability fleet (sources may hand it to code that changes it). */
export function reliabilityFleet(): FleetSnapshot {
  cached ??= generateFleet(RELIABILITY_FLEET);
  return structuredClone(cached);
}

/** The `clusterdeck` configuration of {@link reliabilityFleet}. */
export function reliabilityConfig() {
  return generatedFleetConfig(RELIABILITY_FLEET);
}

/** The number of cases property tests run per route or action: `RELIABILITY_FUZZ_RUNS`, else `fallback`. */
export function fuzzRuns(fallback: number): number {
  const value = Number(process.env.RELIABILITY_FUZZ_RUNS);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Whether the long variants run (`RELIABILITY_LONG=1`, as `yarn test:reliability` sets it). */
export function longRun(): boolean {
  return process.env.RELIABILITY_LONG === '1';
}
