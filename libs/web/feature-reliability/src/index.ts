export { ReliabilityPage } from './reliability.page';
export { ReliabilityReviewPage } from './review.page';
