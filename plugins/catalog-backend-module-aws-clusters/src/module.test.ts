import { catalogModuleAwsClusters } from './module';

describe('catalogModuleAwsClusters', () => {
  it('is a backend feature', () => {
    expect(catalogModuleAwsClusters.$$type).toBe('@backstage/BackendFeature');
  });
});
