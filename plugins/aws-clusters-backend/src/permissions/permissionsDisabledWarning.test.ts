import { mockServices } from '@backstage/backend-test-utils';
import { warnIfPermissionsDisabled } from './permissionsDisabledWarning';

describe('warnIfPermissionsDisabled', () => {
  it.each([
    ['absent', {}],
    ['false', { permission: { enabled: false } }],
  ])(
    'warns that every signed-in user may do every write when permission.enabled is %s',
    (_what, data) => {
      const logger = mockServices.logger.mock();
      expect(
        warnIfPermissionsDisabled(mockServices.rootConfig({ data }), logger),
      ).toBe(true);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0][0]).toMatch(
        /^permission\.enabled is not true: .*every signed-in user may do every write of Clusterdeck for any team/,
      );
    },
  );

  it('says nothing when the permission framework is on', () => {
    const logger = mockServices.logger.mock();
    expect(
      warnIfPermissionsDisabled(
        mockServices.rootConfig({ data: { permission: { enabled: true } } }),
        logger,
      ),
    ).toBe(false);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
