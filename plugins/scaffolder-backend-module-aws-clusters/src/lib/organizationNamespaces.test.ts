import {
  organizationNamespacesOf,
  organizationsOf,
} from './organizationNamespaces';

describe('the organizations a group owns', () => {
  it('are the one named like a group of the default namespace, and those mapped to it', () => {
    expect(organizationsOf('group:default/payments', {})).toEqual(['payments']);
    expect(organizationsOf('group:payments', {})).toEqual(['payments']);
    expect(
      organizationNamespacesOf('group:default/payments', {
        'payments-eu': 'group:default/payments',
      }),
    ).toEqual(['org-payments', 'org-payments-eu']);
  });

  it('leave out the organization named like the group when it is mapped to another group', () => {
    expect(
      organizationsOf('group:default/payments', {
        payments: 'group:default/finance',
      }),
    ).toEqual([]);
  });

  it('of a group of another namespace are only those mapped to it, not the one of its name', () => {
    expect(organizationsOf('group:teamx/payments', {})).toEqual([]);
    expect(
      organizationsOf('group:teamx/payments', {
        payments: 'group:default/payments',
      }),
    ).toEqual([]);
    expect(
      organizationsOf('group:teamx/payments', {
        'teamx-payments': 'group:teamx/payments',
      }),
    ).toEqual(['teamx-payments']);
    expect(
      organizationsOf('group:default/payments', {
        'teamx-payments': 'group:teamx/payments',
      }),
    ).toEqual(['payments']);
  });

  it('match group references as the catalog does, whatever the case and however written', () => {
    expect(
      organizationsOf('group:Default/Payments', {
        payments: 'group:default/payments',
        'payments-eu': 'group:default/payments',
      }),
    ).toEqual(['payments', 'payments-eu']);
    expect(organizationsOf('group:TeamX/Payments', {})).toEqual([]);
    expect(
      organizationsOf('group:payments', {
        payments: 'group:default/payments',
      }),
    ).toEqual(['payments']);
  });
});
