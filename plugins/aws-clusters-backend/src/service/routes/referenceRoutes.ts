import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  admitsNamespace,
  awsClusterCreatePermission,
  ManagementClusterOption,
  RegionOption,
  ReleaseOption,
  RoleIdentityOption,
  roleArnAccount,
  TransitGatewayOption,
} from '@clusterdeck/plugin-aws-clusters-common';
import type {
  ConfiguredAccount,
  OwnerFilter,
} from '@clusterdeck/plugin-aws-clusters-node';
import Router from 'express-promise-router';
import { z } from 'zod';
import { accountId, entityRef, noQuery, parse } from '../inputs';
import { namespacesOf } from '../organizations';
import { fleetReferencesOf, referencesForOwner } from './fleetReferencesOf';
import { RouteContext } from './RouteContext';

const mcName = z.string().min(1).max(253);
const bundleQuery = z.strictObject({ owner: entityRef });
const regionsQuery = z.strictObject({ accountId: accountId.optional() });
const identitiesQuery = z.strictObject({
  managementCluster: mcName,
  accountId: accountId.optional(),
  owner: entityRef.optional(),
});
const releasesQuery = z
  .strictObject({
    managementCluster: mcName,
    flavor: z
      .enum(['ec2', 'eks'], { error: 'must be ec2 or eks' })
      .default('ec2'),
    kind: z
      .enum(['release', 'kubernetes'], {
        error: 'must be release or kubernetes',
      })
      .default('release'),
  })
  .refine(q => q.kind === 'release' || q.flavor === 'eks', {
    path: ['kind'],
    error: 'Kubernetes versions are listed for EKS only',
  });
const gatewaysQuery = z.strictObject({
  accountId,
  region: z.string().max(50).optional(),
});

/**
 * The references a cluster request may name, for the request form's pickers, the scaffolder's
 * checks and the command line, each scoped to what the caller may request clusters with:
 * `GET /references` (everything the checks need, for one owner), `/references/management-clusters`,
 * `/references/regions` (of an account, or all the platform knows), `/references/role-identities`,
 * `/references/releases` (per flavor; `kind=kubernetes`: EKS's Kubernetes versions) and
 * `/references/transit-gateways`.
 */
export function referenceRoutes(ctx: RouteContext) {
  const { fleet, config, authorizer } = ctx.options;
  const router = Router();

  const mayCreate = (credentials: BackstageCredentials) =>
    ctx.listFilter(
      credentials,
      awsClusterCreatePermission,
      'cluster references',
    );
  const usable = (filter: OwnerFilter) => (account: ConfiguredAccount) =>
    filter.key === 'all' || account.owners.some(o => filter(o));
  /** Whether the caller may request clusters in any account: else it may name nothing at all. */
  const mayUseAny = (filter: OwnerFilter) =>
    filter.key !== 'none' && config.accounts.some(usable(filter));
  /** An account the caller may request clusters in; any other is answered as one that does not exist. */
  const usableAccount = (filter: OwnerFilter, id: string) => {
    const account = config.accounts.find(a => a.id === id);
    if (!account || !usable(filter)(account))
      throw new NotFoundError(`no account ${id} you may request clusters in`);
    return account;
  };
  const managementCluster = (name: string) => {
    const mc = fleetReferencesOf(fleet, config).managementClusters.find(
      m => m.name === name,
    );
    if (!mc) throw new NotFoundError(`no management cluster named ${name}`);
    return mc;
  };
  const answer = <T>(items: T[]) => ({
    items,
    generatedAt: fleet.current().generatedAt,
    errors: [],
  });

  router.get('/references', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    const { owner } = parse(bundleQuery, req.query, 'query');
    await authorizer.assert(credentials, awsClusterCreatePermission, {
      owner,
      what: 'request clusters',
    });
    res.json(
      referencesForOwner(
        fleetReferencesOf(fleet, config),
        config,
        owner,
        await authorizer.isAdmin(credentials),
      ),
    );
  });

  router.get('/references/management-clusters', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    parse(noQuery, req.query, 'query');
    const filter = await mayCreate(credentials);
    const items: ManagementClusterOption[] = !mayUseAny(filter)
      ? []
      : // The environment each serves as configured, else its own account's (buildFleetReferences).
        fleetReferencesOf(fleet, config).managementClusters.map(mc => {
          const baseDomain = config.managementClusters.find(
            c => c.name === mc.name,
          )?.baseDomain;
          return {
            name: mc.name,
            region: mc.region,
            accountId: mc.accountId,
            ...(mc.environment ? { environment: mc.environment } : {}),
            ...(baseDomain ? { baseDomain } : {}),
          };
        });
    res.json(answer(items));
  });

  router.get('/references/regions', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    const query = parse(regionsQuery, req.query, 'query');
    const filter = await mayCreate(credentials);
    const zones = fleetReferencesOf(fleet, config).zones ?? {};
    // Without an account: every region the platform knows, for setting up a new account.
    const known = [
      ...config.accounts.flatMap(a => a.regions),
      ...config.managementClusters.map(m => m.region),
      ...Object.keys(zones),
    ];
    let regions: string[] = [];
    if (query.accountId)
      regions = usableAccount(filter, query.accountId).regions;
    else if (mayUseAny(filter)) regions = [...new Set(known)].sort();
    const items: RegionOption[] = regions.map(name => ({
      name,
      ...(zones[name] ? { zones: zones[name] } : {}),
    }));
    res.json(answer(items));
  });

  router.get('/references/role-identities', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    const query = parse(identitiesQuery, req.query, 'query');
    const filter = await mayCreate(credentials);
    if (query.owner)
      await authorizer.assert(credentials, awsClusterCreatePermission, {
        owner: query.owner,
        what: 'request clusters',
      });
    if (query.accountId) usableAccount(filter, query.accountId);
    const mc = managementCluster(query.managementCluster);
    const accounts = new Set(
      config.accounts.filter(usable(filter)).map(a => a.id),
    );
    // Without an owner, the namespaces of every owner the caller may request for; an admin's are all.
    const owners = query.owner
      ? [query.owner]
      : [
          ...new Set([
            ...Object.values(config.organizations),
            ...config.accounts.flatMap(a => a.owners),
          ]),
        ].filter(o => filter(o));
    const namespaces = new Set(
      owners.flatMap(o => namespacesOf(o, config.organizations)),
    );
    const items: RoleIdentityOption[] = (mc.roleIdentities ?? []).flatMap(
      identity => {
        const account = roleArnAccount(identity.roleARN);
        if (
          !account ||
          !accounts.has(account) ||
          (query.accountId && account !== query.accountId)
        )
          return [];
        const admitted =
          (!query.owner && filter.key === 'all') ||
          [...namespaces].some(ns =>
            admitsNamespace(identity.allowedNamespaces, ns),
          );
        if (!admitted) return [];
        return [
          {
            name: identity.name,
            managementCluster: mc.name,
            roleARN: identity.roleARN,
            accountId: account,
            allowedNamespaces: identity.allowedNamespaces ?? null,
          },
        ];
      },
    );
    res.json(answer(items));
  });

  router.get('/references/releases', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    const query = parse(releasesQuery, req.query, 'query');
    const filter = await mayCreate(credentials);
    const mc = managementCluster(query.managementCluster);
    // The flavor's platform releases (aws-* or eks-* Release objects), or EKS's Kubernetes versions.
    const releases = query.flavor === 'eks' ? mc.eksReleases : mc.releases;
    const offered = query.kind === 'kubernetes' ? mc.eksVersions : releases;
    const versions = mayUseAny(filter) ? offered : [];
    const items: ReleaseOption[] = (versions ?? []).map(version => ({
      version,
      flavor: query.flavor,
    }));
    // `known: false`: nothing lists them, so the form takes a version as typed and nothing checks it.
    res.json({ ...answer(items), known: versions !== undefined });
  });

  router.get('/references/transit-gateways', async (req, res) => {
    const credentials = await ctx.credentialsOf(req);
    const query = parse(gatewaysQuery, req.query, 'query');
    const account = usableAccount(
      await mayCreate(credentials),
      query.accountId,
    );
    const gateways =
      fleetReferencesOf(fleet, config).transitGateways[account.id] ?? [];
    const items: TransitGatewayOption[] = gateways.filter(
      t => !query.region || !t.region || t.region === query.region,
    );
    res.json(answer(items));
  });

  return router;
}
