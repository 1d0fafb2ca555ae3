export * from './kubernetesVersion';
export * from './versionSupport';
export * from './eksSupportCalendar';
export * from './checkUpgrade';
