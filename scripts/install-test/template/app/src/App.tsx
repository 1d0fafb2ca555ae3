// A platform team's app on the New Frontend System, with Clusterdeck added to its features as
// the frontend plugin's README says.
import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import awsClustersPlugin from '@clusterdeck/plugin-aws-clusters/alpha';

export default createApp({ features: [catalogPlugin, awsClustersPlugin] });
