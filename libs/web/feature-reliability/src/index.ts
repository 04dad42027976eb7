export { ReliabilityPage } from './reliability.page';
