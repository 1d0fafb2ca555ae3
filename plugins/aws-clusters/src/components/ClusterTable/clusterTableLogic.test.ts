import {
  clusterFindings,
  clusterSummaries,
} from '../../__fixtures__/clusterSummaries';
import {
  ageText,
  applyFilters,
  countBy,
  filtersFor,
  filtersFromQuery,
  filterValue,
  filterValueText,
  findingsByCluster,
  withFilter,
} from './clusterFilters';
import { sortClusters } from './clusterSort';
import { clustersCsv } from './clustersCsv';

const names = (cs: Array<{ name: string }>) => cs.map(c => c.name);
const findings = findingsByCluster(clusterFindings);

describe('cluster filters', () => {
  it('reads repeated query parameters and ignores unknown ones', () => {
    const query = new URLSearchParams(
      'status=degraded&status=creating&flavor=eks&q=x&sort=name',
    );
    expect(filtersFromQuery(query)).toEqual({
      status: ['degraded', 'creating'],
      flavor: ['eks'],
    });
    const next = withFilter(query, 'status', ['ready']);
    expect(next.toString()).toBe('flavor=eks&q=x&sort=name&status=ready');
    expect(withFilter(next, 'flavor', []).get('flavor')).toBeNull();
  });

  it('admits a cluster when every filter admits it, any of a filter’s values', () => {
    expect(
      names(
        applyFilters(clusterSummaries, { status: ['degraded', 'creating'] }),
      ),
    ).toEqual(['pay-dev', 'web-prod']);
    expect(
      names(
        applyFilters(clusterSummaries, {
          status: ['degraded', 'creating'],
          managementCluster: ['mc-prod'],
        }),
      ),
    ).toEqual(['web-prod']);
    expect(
      names(applyFilters(clusterSummaries, { account: ['unknown'] })),
    ).toEqual(['web-dev, "lab"']);
    expect(
      names(
        applyFilters(clusterSummaries, {
          account: ['production (123456789012)'],
        }),
      ),
    ).toEqual(['pay-prod', 'web-prod']);
    expect(
      names(applyFilters(clusterSummaries, { version: ['1.31'] })),
    ).toEqual(['pay-prod']);
    expect(applyFilters(clusterSummaries, {})).toBe(clusterSummaries);
  });

  it('counts clusters by a field, most first', () => {
    expect(countBy(clusterSummaries, 'environment')).toEqual([
      ['production', 2],
      ['development', 1],
      ['unknown', 1],
    ]);
    expect(countBy(clusterSummaries, 'version')).toEqual([
      ['1.30', 1],
      ['1.31', 1],
      ['1.9', 1],
      ['unknown', 1],
    ]);
  });

  it('filters by version support and by cost range, or why there is no figure', () => {
    expect(countBy(clusterSummaries, 'support')).toEqual([
      ['ending-soon', 1],
      ['extended', 1],
      ['unknown', 1],
      ['unsupported', 1],
    ]);
    expect(
      names(
        applyFilters(clusterSummaries, {
          support: ['unsupported', 'ending-soon'],
        }),
      ),
    ).toEqual(['web-prod', 'web-dev, "lab"']);
    // pay-prod's figure is this month so far, pay-dev's last month (no figure this month yet).
    expect(clusterSummaries.map(c => filterValue(c, 'cost'))).toEqual([
      '$1,000 to $10,000',
      'under $100',
      'tag not active',
      'unknown',
    ]);
    expect(
      filterValue(
        {
          ...clusterSummaries[0],
          cost: {
            status: 'ok',
            thisMonth: {
              month: '2026-08',
              amount: 10_000,
              unit: 'EUR',
              estimated: true,
            },
          },
        },
        'cost',
      ),
    ).toBe('€10,000 and more');
    expect(
      filterValue(
        { ...clusterSummaries[0], cost: { status: 'no-data' } },
        'cost',
      ),
    ).toBe('no data');
  });

  it('names the support statuses in words, with the configured warning period', () => {
    expect(filterValueText('support', 'ending-soon', 30)).toBe(
      'support ending within 30 days',
    );
    expect(filterValueText('support', 'unsupported')).toBe(
      'past end of support',
    );
    expect(filterValueText('support', 'supported')).toBe('standard support');
    expect(filterValueText('region', 'eu-west-1')).toBe('eu-west-1');
  });

  it('offers the cost filter only where the fleet has cost figures', () => {
    const keys = (cs: typeof clusterSummaries) =>
      filtersFor(cs).map(f => f.key);
    expect(keys(clusterSummaries)).toContain('cost');
    expect(
      keys(clusterSummaries.map(c => ({ ...c, cost: undefined }))),
    ).not.toContain('cost');
  });

  it('keeps unaccepted findings by cluster ref', () => {
    expect(findings.get('mc-prod/org-payments/pay-prod')).toHaveLength(2);
    expect(findings.get('mc-prod/org-web/web-prod')).toHaveLength(1);
    expect(findings.has('mc-dev/org-payments/pay-dev')).toBe(false);
  });

  it('says a cluster’s age in days, hours or minutes', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(ageText('2026-11-20T00:00:00Z', now)).toBe('5 d');
    expect(ageText('2026-11-25T09:30:00Z', now)).toBe('2 h');
    expect(ageText('2026-11-25T11:45:00Z', now)).toBe('15 min');
    expect(ageText(undefined, now)).toBe('—');
  });
});

describe('sortClusters', () => {
  it('sorts versions as numbers, unknown last', () => {
    expect(
      names(sortClusters(clusterSummaries, 'version', 'asc', findings)),
    ).toEqual(['pay-dev', 'web-prod', 'pay-prod', 'web-dev, "lab"']);
  });

  it('sorts status worst first, findings by count, age oldest first, and descending', () => {
    expect(
      names(sortClusters(clusterSummaries, 'status', 'asc', findings)),
    ).toEqual(['pay-dev', 'web-prod', 'web-dev, "lab"', 'pay-prod']);
    expect(
      names(sortClusters(clusterSummaries, 'findings', 'desc', findings)),
    ).toEqual(['pay-prod', 'web-prod', 'pay-dev', 'web-dev, "lab"']);
    expect(
      names(sortClusters(clusterSummaries, 'age', 'asc', findings)),
    ).toEqual(['pay-prod', 'pay-dev', 'web-prod', 'web-dev, "lab"']);
    expect(
      names(sortClusters(clusterSummaries, 'pools', 'desc', findings)),
    ).toEqual(['web-prod', 'pay-prod', 'pay-dev', 'web-dev, "lab"']);
  });

  it('sorts version support most urgent first and cost cheapest first, no figure last', () => {
    expect(
      names(sortClusters(clusterSummaries, 'support', 'asc', findings)),
    ).toEqual(['web-prod', 'web-dev, "lab"', 'pay-prod', 'pay-dev']);
    expect(
      names(sortClusters(clusterSummaries, 'cost', 'asc', findings)),
    ).toEqual(['pay-dev', 'pay-prod', 'web-dev, "lab"', 'web-prod']);
    expect(
      names(sortClusters(clusterSummaries, 'cost', 'desc', findings)).slice(2),
    ).toEqual(['pay-prod', 'pay-dev']);
  });

  it('sorts clusters of one support status by the days left', () => {
    const soon = (name: string, daysLeft: number) => ({
      ...clusterSummaries[3],
      ref: name,
      name,
      versionSupport: {
        status: 'ending-soon' as const,
        release: {
          ...clusterSummaries[3].versionSupport!.release!,
          daysLeft,
        },
      },
    });
    expect(
      names(
        sortClusters(
          [soon('b', 40), soon('a', 12), soon('c', 80)],
          'support',
          'asc',
          findings,
        ),
      ),
    ).toEqual(['a', 'b', 'c']);
  });
});

describe('clustersCsv', () => {
  it('writes a header and one quoted, formula-safe row per cluster', () => {
    const csv = clustersCsv(clusterSummaries, findings);
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(clusterSummaries.length + 2);
    expect(lines[0]).toBe(
      'ref,name,owner,status,status reason,kubernetes version,release,version support,support ends on,flavor,environment,account id,account name,region,management cluster,created at,nodes ready,nodes desired,nodes min,nodes max,node pools,cost status,cost this month,cost last month,cost unit,findings,finding codes',
    );
    expect(lines[1]).toBe(
      'mc-prod/org-payments/pay-prod,pay-prod,group:default/payments,ready,,1.31.4,,extended,2026-11-26,ec2,production,123456789012,production,eu-west-1,mc-prod,2026-10-01T00:00:00Z,6,6,3,10,2,ok,1240.5,2980,USD,2,public-production-api teams-share-account',
    );
    expect(lines[3]).toContain(',unsupported,2026-07-23,');
    expect(lines[3]).toContain(',tag-not-active,,,,');
    expect(lines[2]).toContain(
      ',degraded,pool spot0 is 3 short of its desired 20,',
    );
    expect(
      lines[4].startsWith(
        '"mc-dev/org-web/web-dev, ""lab""","web-dev, ""lab"""',
      ),
    ).toBe(true);
    expect(lines[5]).toBe('');
  });

  it('defuses values a spreadsheet would run as formulas', () => {
    const csv = clustersCsv([
      { ...clusterSummaries[0], statusReason: '=1+2', owner: '@evil' },
    ]);
    expect(csv).toContain(",'@evil,");
    expect(csv).toContain(",'=1+2,");
  });
});
