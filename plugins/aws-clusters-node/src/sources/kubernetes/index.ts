export * from './KubernetesCollector';
export * from './KubeApiClient';
export * from './eksToken';
