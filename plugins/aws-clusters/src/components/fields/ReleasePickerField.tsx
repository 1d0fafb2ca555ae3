import { DependencyFieldOptions, referencePicker } from './ReferenceSelect';

/**
 * The `ui:options` of {@link ClusterdeckReleasePicker}: the fields it depends on, or `flavor` to
 * list always that flavor's releases, whatever the form's flavor field says (platform releases
 * serve both flavors).
 */
export type ReleasePickerOptions = Pick<
  DependencyFieldOptions,
  'managementClusterField' | 'flavorField'
> & { flavor?: 'ec2' | 'eks' };

/**
 * `ui:field: ClusterdeckReleasePicker`: the platform releases (EC2) or Kubernetes versions (EKS)
 * the chosen management cluster offers, newest first as listed; typed by hand where nothing
 * lists them.
 */
export const ClusterdeckReleasePicker = referencePicker<
  string,
  ReleasePickerOptions
>(({ api, options, dependency }) => {
  const managementCluster = dependency('managementClusterField');
  const flavor = (options.flavor ?? dependency('flavorField') ?? 'ec2') as
    | 'ec2'
    | 'eks';
  return {
    title: flavor === 'eks' ? 'Kubernetes version' : 'Platform release',
    waitingFor: !managementCluster
      ? 'Choose the management cluster first.'
      : undefined,
    load: async () => {
      const answer = await api.listReleases({
        managementCluster: managementCluster!,
        flavor,
      });
      return answer.known
        ? answer.items.map(r => ({ value: r.version, label: r.version }))
        : undefined;
    },
    deps: [managementCluster, flavor],
    loading: 'Loading the releases…',
    empty: `${managementCluster} offers no ${
      flavor === 'eks' ? 'EKS version' : 'release'
    }; ask the platform team.`,
  };
});
