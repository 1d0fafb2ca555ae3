import { DependencyFieldOptions, referencePicker } from './ReferenceSelect';

/**
 * The `ui:options` of {@link ClusterdeckReleasePicker}: the fields it depends on, or `flavor` to
 * list always that flavor's releases, whatever the form's flavor field says; `kind: kubernetes`
 * lists the Kubernetes versions EKS offers (a `kubernetesVersion` field of an EKS request).
 */
export type ReleasePickerOptions = Pick<
  DependencyFieldOptions,
  'managementClusterField' | 'flavorField'
> & { flavor?: 'ec2' | 'eks'; kind?: 'release' | 'kubernetes' };

/**
 * `ui:field: ClusterdeckReleasePicker`: the platform releases the chosen management cluster offers
 * to the form's flavor (EC2: its `aws-*` Release objects, EKS: its `eks-*` ones), or with
 * `kind: kubernetes` the Kubernetes versions EKS offers (`DescribeClusterVersions`, else
 * configuration), newest first as listed; typed by hand where nothing lists them.
 */
export const ClusterdeckReleasePicker = referencePicker<
  string,
  ReleasePickerOptions
>(({ api, options, dependency }) => {
  const managementCluster = dependency('managementClusterField');
  const versions = options.kind === 'kubernetes';
  const flavor = (
    versions ? 'eks' : options.flavor ?? dependency('flavorField') ?? 'ec2'
  ) as 'ec2' | 'eks';
  let offered = flavor === 'eks' ? 'EKS release' : 'release';
  if (versions) offered = 'EKS Kubernetes version';
  return {
    title: versions
      ? 'Kubernetes version (EKS)'
      : `Platform release${flavor === 'eks' ? ' (EKS)' : ''}`,
    waitingFor: !managementCluster
      ? 'Choose the management cluster first.'
      : undefined,
    load: async () => {
      const answer = await api.listReleases({
        managementCluster: managementCluster!,
        flavor,
        ...(versions ? { kind: 'kubernetes' as const } : {}),
      });
      return answer.known
        ? answer.items.map(r => ({ value: r.version, label: r.version }))
        : undefined;
    },
    deps: [managementCluster, flavor, versions],
    loading: versions ? 'Loading the EKS versions…' : 'Loading the releases…',
    empty: `${managementCluster} offers no ${offered}; ask the platform team.`,
  };
});
