import { ConfigReader } from '@backstage/config';
import {
  buildFleetReferences,
  FleetReferences,
} from '@clusterdeck/plugin-aws-clusters-common';
import fs from 'node:fs';
import { parse } from 'yaml';
import {
  readClusterdeckConfig,
  SnapshotSource,
} from '@clusterdeck/plugin-aws-clusters-node';

/** Where `--fleet` reads the references of a request's owner from. */
export type ReferenceReader = (owner: string) => Promise<FleetReferences>;

const PLUGIN_PATH = '/api/aws-clusters';

/**
 * Reads the references from a running Backstage (`GET /api/aws-clusters/references`) with the
 * token in `CLUSTERDECK_TOKEN`, so that the backend decides what the caller may name.
 */
export function referencesFromUrl(
  url: string,
  token: string | undefined,
  fetchImpl: typeof fetch = fetch,
): ReferenceReader {
  if (!token)
    throw new Error(
      'reading the fleet from a URL needs a Backstage token in CLUSTERDECK_TOKEN',
    );
  const base = url.replace(/\/+$/, '');
  const api = base.endsWith(PLUGIN_PATH) ? base : `${base}${PLUGIN_PATH}`;
  return async owner => {
    const response = await fetchImpl(
      `${api}/references?owner=${encodeURIComponent(owner)}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (!response.ok) {
      const body = await response.json().catch(() => undefined);
      throw new Error(
        `${api} refused the references for ${owner} (${response.status}): ${
          body?.error?.message ?? response.statusText
        }`,
      );
    }
    return (await response.json()) as FleetReferences;
  };
}

/**
 * Builds the references from a recorded snapshot directory and the `clusterdeck` block of an
 * app-config file, as the backend builds them from its fleet: the accounts that admit the owner
 * (all of them for an owner of the admin groups), role identities from the recorded management
 * clusters, the rest from configuration.
 */
export async function referencesFromSnapshot(
  directory: string,
  configFile: string | undefined,
): Promise<ReferenceReader> {
  if (!configFile)
    throw new Error(
      `reading the fleet from the snapshot ${directory} needs --config <app-config.yaml> for its accounts and management clusters`,
    );
  const document = parse(fs.readFileSync(configFile, 'utf8')) ?? {};
  const config = readClusterdeckConfig(
    new ConfigReader({ clusterdeck: document.clusterdeck ?? {} }),
  );
  const snapshot = await new SnapshotSource({ directory }).collect();
  const all = buildFleetReferences({
    accounts: config.accounts,
    managementClusters: config.managementClusters,
    snapshot: {
      aws: snapshot.aws ?? [],
      managementClusters: snapshot.managementClusters ?? [],
    },
    configured: config.references,
  });
  return async owner => {
    const admin = config.adminGroups.includes(owner);
    const admitting = new Set(
      config.accounts
        .filter(a => admin || a.owners.includes(owner))
        .map(a => a.id),
    );
    return { ...all, accounts: all.accounts.filter(a => admitting.has(a.id)) };
  };
}
