export {
  VersionSupportBadge,
  describeVersionSupport,
} from './VersionSupportBadge';
export { EntityVersionSupportCard } from './VersionSupportCard';
