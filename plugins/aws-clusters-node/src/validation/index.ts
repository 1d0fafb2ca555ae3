export { ManifestValidator } from './ManifestValidator';
export type { ManifestValidationResult } from './ManifestValidator';
export { ValuesValidator } from './ValuesValidator';
export type { HelmChartName, ValuesValidationOptions } from './ValuesValidator';
export type { ManifestIssue } from './issues';
export type { CelRule } from './structuralSchema';
export type { ResourceScope } from './metadata';
export {
  findReferenceDir,
  describeMissingReference,
  referenceSkipReason,
} from './referenceDir';
