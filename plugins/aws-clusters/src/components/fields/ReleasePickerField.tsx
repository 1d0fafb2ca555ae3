import { DependencyFieldOptions, referencePicker } from './ReferenceSelect';

/**
 * The `ui:options` of {@link ClusterdeckReleasePicker}: the fields it depends on, or `flavor` to
 * list always that flavor's releases, whatever the form's flavor field says.
 */
export type ReleasePickerOptions = Pick<
  DependencyFieldOptions,
  'managementClusterField' | 'flavorField'
> & { flavor?: 'ec2' | 'eks' };

/**
 * `ui:field: ClusterdeckReleasePicker`: the platform releases the chosen management cluster offers
 * to the form's flavor (EC2: its `aws-*` Release objects, EKS: its `eks-*` ones), newest first as
 * listed; typed by hand where nothing lists them.
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
    title: flavor === 'eks' ? 'Platform release (EKS)' : 'Platform release',
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
      flavor === 'eks' ? 'EKS release' : 'release'
    }; ask the platform team.`,
  };
});
