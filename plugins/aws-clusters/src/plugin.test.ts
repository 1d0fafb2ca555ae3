import { awsClustersPlugin } from './plugin';
import alphaPlugin from './alpha';

describe('aws-clusters', () => {
  it('is the aws-clusters plugin in both frontend systems', () => {
    expect(awsClustersPlugin.getId()).toBe('aws-clusters');
    expect(alphaPlugin.id).toBe('aws-clusters');
  });
});
