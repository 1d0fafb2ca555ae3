export { EntityConnectCard } from './ConnectCard';
