import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type {
  ListResponse,
  SourceStatus,
} from '@clusterdeck/plugin-aws-clusters-common';
import type {
  AwsClusterPermission,
  ClusterdeckAuthorizer,
  ClusterdeckConfig,
  OwnerFilter,
} from '@clusterdeck/plugin-aws-clusters-node';
import type express from 'express';
import {
  ClusterdeckDatabase,
  StoredClusterRequest,
} from '../../database/ClusterdeckDatabase';
import type { FleetModel } from '../../fleet/buildFleetModel';
import { requestedClusterSummary } from '../../fleet/requestedClusters';
import { AttachableClusters, CidrReservations } from '../CidrReservations';
import { ClusterExtras } from '../ClusterExtras';
import type { CostService } from '../../cost/CostService';
import { FleetService } from '../FleetService';
import { ReadyAnswers } from '../ReadyAnswers';

/** What the router needs. */
export interface RouterOptions {
  fleet: FleetService;
  db: ClusterdeckDatabase;
  config: ClusterdeckConfig;
  httpAuth: HttpAuthService;
  auth: AuthService;
  authorizer: ClusterdeckAuthorizer;
  reservations: CidrReservations;
  auditor: AuditorService;
  logger: LoggerService;
  /** Cost per cluster from Cost Explorer, when `clusterdeck.cost` is configured. */
  costs?: CostService;
  /** The clock version support is judged by (tests fix it). */
  now?: () => Date;
}

/** How long one read of the stored cluster requests serves the fleet lists of this replica. */
const REQUESTS_SHARED_MS = 100;

/** What the routes of every resource share: the services, the caller's rights and the stored requests. */
export class RouteContext {
  readonly extras: ClusterExtras;
  readonly answers: ReadyAnswers;
  private requestWrites = 0;
  private sharedRead?: {
    writes: number;
    at: number;
    requests: Promise<StoredClusterRequest[]>;
  };

  constructor(readonly options: RouterOptions) {
    this.extras = new ClusterExtras(options.config, options.costs, options.now);
    this.answers = new ReadyAnswers(this.extras);
  }

  /** The caller: a user or a service; a request without credentials is refused with 401. */
  credentialsOf(req: express.Request): Promise<BackstageCredentials> {
    return this.options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
  }

  /** Who the caller is, as records name them. */
  nameOf(credentials: BackstageCredentials): string {
    return this.options.authorizer.nameOf(credentials);
  }

  /**
   * The owners whose data a list may show. A user the policy denies sees an empty list; a
   * service that configuration grants nothing is refused, so that it learns it needs a grant.
   */
  async listFilter(
    credentials: BackstageCredentials,
    permission: AwsClusterPermission,
    what: string,
  ): Promise<OwnerFilter> {
    const filter = await this.options.authorizer.owners(
      credentials,
      permission,
    );
    if (
      filter.key === 'none' &&
      !this.options.auth.isPrincipal(credentials, 'user')
    ) {
      throw new NotAllowedError(
        `${this.nameOf(credentials)} may not list ${what} (${permission.name})`,
      );
    }
    return filter;
  }

  /**
   * The stored cluster requests. One read serves the requests that come within
   * {@link REQUESTS_SHARED_MS} of its start, unless this replica recorded or withdrew a request
   * since: what this replica writes shows at once, what another replica writes within that time
   * (the fleet itself reaches other replicas within their reload interval). A database read per
   * fleet-list request would cost more than the rest of the request.
   */
  storedRequests(): Promise<StoredClusterRequest[]> {
    const now = performance.now();
    const shared = this.sharedRead;
    if (
      !shared ||
      shared.writes !== this.requestWrites ||
      now - shared.at > REQUESTS_SHARED_MS
    ) {
      const read = {
        writes: this.requestWrites,
        at: now,
        requests: this.options.db.listRequests(),
      };
      this.sharedRead = read;
      read.requests.catch(() => {
        if (this.sharedRead === read) this.sharedRead = undefined;
      });
      return read.requests;
    }
    return shared.requests;
  }

  /** Says that this replica recorded or withdrew a request: the next read is fresh. */
  requestsChanged() {
    this.requestWrites += 1;
  }

  /** Requested clusters the management clusters have not reported yet, as the caller may see them. */
  async requestedClusters(model: FleetModel, mayRead: OwnerFilter) {
    // A request stays recorded (for its timeline) once reported; it is then a cluster like any other.
    const pending = (await this.storedRequests()).filter(
      r => !r.reportedAt && !model.byRef.has(r.ref),
    );
    return pending
      .filter(r => mayRead(r.owner))
      .map(r => requestedClusterSummary(r, this.options.config));
  }

  /** Clusters reservations may be attached to, with their owners: reported ones and pending requests. */
  async attachableClusters(model: FleetModel): Promise<AttachableClusters> {
    return this.options.reservations.attachableClusters(
      model,
      await this.storedRequests(),
      this.options.now?.(),
    );
  }

  /**
   * The failed sources a caller is told about: those of the accounts and management clusters
   * its visible clusters depend on; the others only as a count.
   */
  errorsFor(
    model: FleetModel,
    mayRead: OwnerFilter,
  ): Pick<ListResponse<unknown>, 'errors' | 'otherErrors'> {
    const stale = model.sources.filter(s => s.stale);
    if (stale.length === 0) return { errors: [] };
    if (mayRead.key === 'all') return { errors: stale };
    const relevant = new Set(
      model.clusters.filter(c => mayRead(c.owner)).flatMap(c => c.sources),
    );
    const errors: SourceStatus[] = stale.filter(s => relevant.has(s.source));
    return errors.length === stale.length
      ? { errors }
      : { errors, otherErrors: stale.length - errors.length };
  }

  /** A list answer with the errors the caller is told about. */
  list<T>(
    model: FleetModel,
    items: T[],
    mayRead: OwnerFilter,
  ): ListResponse<T> {
    return {
      items,
      generatedAt: model.generatedAt,
      ...this.errorsFor(model, mayRead),
    };
  }
}
