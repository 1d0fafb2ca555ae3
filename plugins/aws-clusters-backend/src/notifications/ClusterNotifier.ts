import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  catalogEntityName,
  CLUSTERDECK_ANNOTATIONS,
  clusterEntityName,
} from '@clusterdeck/plugin-aws-clusters-common';
import type {
  ClusterdeckDatabase,
  SentNotification,
} from '../database/ClusterdeckDatabase';
import type { ClusterRecord, FleetModel } from '../fleet/buildFleetModel';
import { assessCluster, type ClusterMatter } from './clusterMatters';
import {
  readNotificationsConfig,
  type NotificationsConfig,
} from './notificationsConfig';

/** The ledger row that says a cluster was seen provisioning: its `ready` is then worth sending. */
const PROVISIONING = 'provisioning';
const READY = 'ready';
/** The row that says the fleet's matters were taken in once: before it, nothing is news. */
const BASELINE = { ref: '*', kind: 'baseline' };
/** After a failed send, how long nothing is sent: the notifications backend may be missing. */
const SEND_PAUSE_MS = 5 * 60_000;

const TOPICS: Record<ClusterMatter['kind'], string> = {
  ready: 'Cluster ready',
  stuck: 'Cluster provisioning stuck',
  failed: 'Cluster failed',
  degraded: 'Cluster degraded',
  poolAtMaximum: 'Node pool at its maximum',
  launchesFailing: 'Node pool launches failing',
};

type Ledger = Pick<
  ClusterdeckDatabase,
  | 'listSentNotifications'
  | 'claimNotification'
  | 'resolveNotifications'
  | 'listRequests'
>;

/**
 * Tells a cluster's owning group and its requester, through Backstage's notification service,
 * when it is ready, stuck or failed while provisioning, degraded, or when a node pool is at its
 * maximum or fails to launch. Each matter is claimed in the plugin's database before it is sent
 * (one row per cluster and kind), so that a restart or another replica does not send it again;
 * the row goes when the matter is resolved, so that a recurrence is sent. What holds at the
 * very first evaluation is recorded without being sent (events come from consecutive states),
 * and `ready` is sent only for clusters seen provisioning.
 */
export class ClusterNotifier {
  private running?: Promise<void>;
  private pausedUntil = 0;
  private names?: { model: FleetModel; counts: Map<string, number> };
  private next?: FleetModel;

  private constructor(
    private readonly config: NotificationsConfig,
    private readonly db: Ledger,
    private readonly notifications: NotificationService,
    private readonly logger: LoggerService,
  ) {}

  /** A notifier, or undefined when `clusterdeck.notifications.enabled` is false. */
  static create(options: {
    rootConfig: Config;
    db: Ledger;
    notifications: NotificationService;
    logger: LoggerService;
  }): ClusterNotifier | undefined {
    const config = readNotificationsConfig(options.rootConfig);
    if (!config.enabled) return undefined;
    return new ClusterNotifier(
      config,
      options.db,
      options.notifications,
      options.logger,
    );
  }

  /**
   * Evaluates a changed model after the evaluation under way, if any; changes arriving
   * meanwhile are folded into one evaluation of the newest model.
   */
  notifyChange(model: FleetModel): Promise<void> {
    this.next = model;
    if (!this.running) {
      this.running = (async () => {
        while (this.next) {
          const current = this.next;
          this.next = undefined;
          try {
            await this.evaluate(current);
          } catch (error) {
            this.logger.warn(`Could not evaluate notifications: ${error}`);
          }
        }
      })().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  /** Sends what is new in the model and forgets what is resolved. */
  async evaluate(model: FleetModel, now = new Date()): Promise<void> {
    const rows = await this.db.listSentNotifications();
    // Events come from consecutive states: what holds at the very first look is recorded, not sent.
    const silent =
      !rows.some(r => r.ref === BASELINE.ref) &&
      (await this.db.claimNotification({
        ...BASELINE,
        sentAt: now.toISOString(),
      }));
    const byRef = new Map<string, Map<string, SentNotification>>();
    for (const row of rows) {
      if (row.ref === BASELINE.ref) continue;
      const own = byRef.get(row.ref) ?? new Map<string, SentNotification>();
      own.set(row.kind, row);
      byRef.set(row.ref, own);
    }
    const requests = new Map(
      (await this.db.listRequests()).map(r => [r.ref, r]),
    );
    const stale = new Set(
      model.sources.filter(s => s.stale).map(s => s.source),
    );
    const resolved: Array<{ ref: string; kind: string }> = [];
    const handled = new Set<string>();

    for (const record of model.clusters) {
      handled.add(record.ref);
      // What a source could not read now is not news, neither good nor bad.
      if (record.sources.some(s => stale.has(s))) continue;
      const sent = byRef.get(record.ref) ?? new Map<string, SentNotification>();
      const request = requests.get(record.ref);
      const { provisioning, matters } = assessCluster({
        record,
        request,
        now,
        stuckAfterMs: this.config.stuckAfterMs,
        seenProvisioning: sent.has(PROVISIONING),
      });
      const holds = new Map(matters.map(m => [m.key, m]));
      const uid = record.cluster.metadata.uid ?? '';

      if (provisioning) {
        // Provisioning (again): its next ready is news.
        if (sent.has(READY)) resolved.push({ ref: record.ref, kind: READY });
        if (!sent.has(PROVISIONING))
          await this.db.claimNotification({
            ref: record.ref,
            kind: PROVISIONING,
            sentAt: now.toISOString(),
            state: uid,
          });
      }
      const ready = holds.get(READY);
      if (ready && sent.has(PROVISIONING)) {
        if (
          await this.claimAndSend(record, ready, request?.createdBy, model, {
            now,
            silent,
          })
        )
          resolved.push({ ref: record.ref, kind: PROVISIONING });
      } else if (!provisioning && !ready && sent.has(PROVISIONING)) {
        // Deleted before it was ever ready.
        if (record.status === 'deleting')
          resolved.push({ ref: record.ref, kind: PROVISIONING });
      }

      for (const key of sent.keys()) {
        if (key === PROVISIONING || key === READY) continue;
        // A matter whose state changed is resolved and claimed again below.
        if (!holds.has(key)) resolved.push({ ref: record.ref, kind: key });
      }
      for (const matter of matters) {
        if (matter.kind === 'ready') continue;
        const row = sent.get(matter.key);
        if (row && (row.state ?? '') === matter.state) continue;
        if (row)
          await this.db.resolveNotifications([
            { ref: record.ref, kind: matter.key },
          ]);
        await this.claimAndSend(record, matter, request?.createdBy, model, {
          now,
          silent,
        });
      }
    }

    // Requested clusters not reported yet: their ready will be news.
    for (const request of requests.values()) {
      if (handled.has(request.ref) || request.reportedAt) continue;
      handled.add(request.ref);
      if (!byRef.get(request.ref)?.has(PROVISIONING))
        await this.db.claimNotification({
          ref: request.ref,
          kind: PROVISIONING,
          sentAt: now.toISOString(),
          state: '',
        });
    }
    // Clusters gone: nothing of theirs holds any more.
    for (const [ref, sent] of byRef) {
      if (handled.has(ref)) continue;
      for (const kind of sent.keys()) resolved.push({ ref, kind });
    }
    if (resolved.length) await this.db.resolveNotifications(resolved);
  }

  /**
   * Claims the matter's row and sends it when this replica won the claim (and the kind is on).
   * A failed send gives the claim back and pauses sending for five minutes, after which the
   * next evaluation tries again (a backend without the notifications plugin is not called for
   * every matter of every evaluation).
   */
  private async claimAndSend(
    record: ClusterRecord,
    matter: ClusterMatter,
    requestedBy: string | undefined,
    model: FleetModel,
    options: { now: Date; silent: boolean },
  ): Promise<boolean> {
    const { now, silent } = options;
    if (!silent && now.getTime() < this.pausedUntil) return false;
    const claimed = await this.db.claimNotification({
      ref: record.ref,
      kind: matter.key,
      sentAt: now.toISOString(),
      state: matter.state,
    });
    if (!claimed) return false;
    const kind = this.config.kinds[matter.kind];
    const recipients = [
      ...new Set(
        [record.owner, requester(record, requestedBy)].filter(
          (r): r is string => Boolean(r),
        ),
      ),
    ];
    if (silent || !kind.enabled || recipients.length === 0) return true;
    try {
      await this.notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: {
          title: matter.title,
          description: matter.description,
          link: this.entityLink(record, model),
          severity: kind.severity,
          topic: TOPICS[matter.kind],
          scope: `aws-clusters:${record.ref}:${matter.key}`,
        },
      });
      return true;
    } catch (error) {
      // One warning, not one per matter, and no calls for a while.
      this.pausedUntil = now.getTime() + SEND_PAUSE_MS;
      this.logger.warn(
        `Could not send the ${matter.kind} notification of ${
          record.ref
        }, so none is sent for ${SEND_PAUSE_MS / 60_000} minutes: ${error}`,
      );
      await this.db.resolveNotifications([
        { ref: record.ref, kind: matter.key },
      ]);
      return false;
    }
  }

  /** The cluster's catalog page, named as the catalog module names it. */
  private entityLink(record: ClusterRecord, model: FleetModel): string {
    // Names shared by two clusters of one management cluster (in different organizations).
    if (this.names?.model !== model) {
      const counts = new Map<string, number>();
      for (const c of model.clusters) {
        const key = `${c.managementCluster}/${c.name}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      this.names = { model, counts };
    }
    const clash =
      (this.names.counts.get(`${record.managementCluster}/${record.name}`) ??
        0) > 1;
    const name = clash
      ? catalogEntityName(
          record.managementCluster,
          record.namespace,
          record.name,
        )
      : clusterEntityName(record);
    return `/catalog/${this.config.catalogNamespace}/resource/${name}`;
  }
}

/** Who asked for the cluster: the request record's user, else the Cluster's annotation. */
function requester(
  record: ClusterRecord,
  requestedBy: string | undefined,
): string | undefined {
  const annotated =
    record.cluster.metadata.annotations?.[CLUSTERDECK_ANNOTATIONS.requestedBy];
  const ref = requestedBy ?? annotated;
  return ref && /^user:/.test(ref) ? ref : undefined;
}
