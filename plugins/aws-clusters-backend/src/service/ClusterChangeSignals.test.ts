import { mockServices } from '@backstage/backend-test-utils';
import type { FleetModel } from '../fleet/buildFleetModel';
import { ClusterChangeSignals } from './ClusterChangeSignals';

function model(owners: Record<string, string>): FleetModel {
  return {
    byRef: new Map(
      Object.entries(owners).map(([ref, owner]) => [ref, { ref, owner }]),
    ),
  } as unknown as FleetModel;
}

describe('ClusterChangeSignals', () => {
  it('sends each owning group only its own clusters, with the admin groups', async () => {
    const publish = jest.fn().mockResolvedValue(undefined);
    const signals = new ClusterChangeSignals(
      { publish },
      ['group:default/platform'],
      mockServices.logger.mock(),
    );
    await signals.publish({
      refs: [
        'mc/org-web/web-1',
        'mc/org-pay/pay-1',
        'mc/org-web/web-2',
        'mc/org-x/gone',
      ],
      model: model({
        'mc/org-web/web-1': 'group:default/web',
        'mc/org-web/web-2': 'group:default/web',
        'mc/org-pay/pay-1': 'group:default/payments',
      }),
    });
    expect(publish).toHaveBeenCalledTimes(2);
    expect(publish).toHaveBeenCalledWith({
      recipients: {
        type: 'user',
        entityRef: ['group:default/web', 'group:default/platform'],
      },
      channel: 'aws-clusters:clusters',
      message: { refs: ['mc/org-web/web-1', 'mc/org-web/web-2'] },
    });
    expect(publish).toHaveBeenCalledWith({
      recipients: {
        type: 'user',
        entityRef: ['group:default/payments', 'group:default/platform'],
      },
      channel: 'aws-clusters:clusters',
      message: { refs: ['mc/org-pay/pay-1'] },
    });
    // Never a broadcast: the refs name clusters.
    for (const [signal] of publish.mock.calls)
      expect(signal.recipients.type).toBe('user');
  });

  it('keeps going when the signals service fails', async () => {
    const logger = mockServices.logger.mock();
    const signals = new ClusterChangeSignals(
      { publish: jest.fn().mockRejectedValue(new Error('no events')) },
      [],
      logger,
    );
    await signals.publish({
      refs: ['mc/org-web/web-1'],
      model: model({ 'mc/org-web/web-1': 'group:default/web' }),
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('no events'),
    );
  });
});
