import {
  clusterFindings,
  clusterSummaries,
} from '../../__fixtures__/clusterSummaries';
import {
  ageText,
  applyFilters,
  countBy,
  filtersFromQuery,
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
});

describe('clustersCsv', () => {
  it('writes a header and one quoted, formula-safe row per cluster', () => {
    const csv = clustersCsv(clusterSummaries, findings);
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(clusterSummaries.length + 2);
    expect(lines[0]).toBe(
      'ref,name,owner,status,status reason,kubernetes version,release,flavor,environment,account id,account name,region,management cluster,created at,nodes ready,nodes desired,nodes min,nodes max,node pools,findings,finding codes',
    );
    expect(lines[1]).toBe(
      'mc-prod/org-payments/pay-prod,pay-prod,group:default/payments,ready,,1.31.4,,ec2,production,123456789012,production,eu-west-1,mc-prod,2026-10-01T00:00:00Z,6,6,3,10,2,2,public-production-api teams-share-account',
    );
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
