export * from './AwsCollector';
export * from './AccountCredentials';
