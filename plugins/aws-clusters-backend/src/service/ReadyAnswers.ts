import type { ClusterSummary } from '@clusterdeck/plugin-aws-clusters-common';
import type { FleetModel } from '../fleet/buildFleetModel';
import { clusterSummary } from '../fleet/summaryView';
import type { ClusterExtras } from './ClusterExtras';
import { AnswerCache } from './EncodedAnswer';

/**
 * Bytes of ready answers kept per fleet model: whole fleet lists (one per kind of caller, filter
 * and set of pending requests), pages of them (apart, so that callers paging through many cursors
 * do not push the whole lists out) and cluster details (one per cluster, the same for every caller
 * allowed to read it). Least recently used answers go first; all go with their model. A page of
 * 100 at 10,000 clusters holds about 190 KiB; one not held is made again from the summaries in
 * about half a millisecond (filter, slice, serialize, hash), so holding pages mostly saves their
 * compression.
 */
const FLEET_LIST_BYTES = 96 * 2 ** 20;
const FLEET_PAGE_BYTES = 16 * 2 ** 20;
const CLUSTER_DETAIL_BYTES = 16 * 2 ** 20;

/** What is kept for one fleet model. */
export interface ModelAnswers {
  /** The extras' stamp the answers were made with. */
  stamp: string;
  /** Every cluster summarized once, in the model's order. */
  summaries: ClusterSummary[];
  lists: AnswerCache;
  pages: AnswerCache;
  details: AnswerCache;
}

/**
 * Ready answers per fleet model. The fleet list is summarized once per model, then filtered,
 * serialized, hashed and compressed once per permission decision key, filters, page and set of
 * visible pending requests (everything its bytes depend on), so that a request costs its
 * permission check and a lookup, whatever the fleet's size. A new model starts afresh, and so
 * does a model's answers when the extras change (a new day for version support, new costs).
 */
export class ReadyAnswers {
  private readonly byModel = new WeakMap<FleetModel, ModelAnswers>();

  constructor(private readonly extras?: ClusterExtras) {}

  of(model: FleetModel): ModelAnswers {
    const stamp = this.extras?.stamp() ?? '';
    let held = this.byModel.get(model);
    if (!held || held.stamp !== stamp) {
      const extras = this.extras;
      held = {
        stamp,
        summaries: model.clusters.map(c =>
          extras ? extras.summary(c) : clusterSummary(c),
        ),
        lists: new AnswerCache(FLEET_LIST_BYTES),
        pages: new AnswerCache(FLEET_PAGE_BYTES),
        details: new AnswerCache(CLUSTER_DETAIL_BYTES),
      };
      this.byModel.set(model, held);
    }
    return held;
  }
}
