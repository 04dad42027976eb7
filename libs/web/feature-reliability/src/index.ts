export { ReliabilityPage } from './reliability.page';
export { ReliabilityReviewPage } from './review.page';
export { startReliabilityPage } from './reliability.early';
