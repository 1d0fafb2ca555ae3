/**
 * Test utilities of the Clusterdeck repository: validates rendered manifests and chart values
 * the way the API server and Helm would, against the upstream CRDs and values schemas.
 *
 * @packageDocumentation
 */
export { ManifestValidator } from './ManifestValidator';
export type { ManifestValidationResult } from './ManifestValidator';
export { ValuesValidator } from './ValuesValidator';
export type { HelmChartName, ValuesValidationOptions } from './ValuesValidator';
export type { ManifestIssue } from './issues';
export type { CelRule } from './structuralSchema';
export type { ResourceScope } from './metadata';
export {
  fillPlaceholders,
  placeholderValue,
  readYamlDocuments,
  yamlFiles,
} from './referenceFixtures';
export {
  findReferenceDir,
  describeMissingReference,
  referenceSkipReason,
} from '@clusterdeck/plugin-aws-clusters-node';
export { arbitraryClusterRequest } from './arbitraryClusterRequest';
export {
  EXAMPLE_REQUESTS_DIR,
  exampleRequests,
  resolve,
} from './exampleRequests';
export { EC2_REQUEST, editedRequest } from './requests';
export { examplesPath, REPOSITORY_ROOT } from './repository';
