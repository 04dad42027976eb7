// The thread side of BlamelessReviewService's WorkerPool: reviews one text per message.
// Imports the domain rules only, so a thread starts in a fraction of the API's start-up.
import { parentPort } from 'node:worker_threads';
import { blamelessReview } from '@hindsight/domain';
import { encodeFindings } from './blameless-review.codec';

const port = parentPort;
if (!port) throw new Error('blameless-review.worker runs in a worker thread');
port.on('message', ({ id, input }: { id: number; input: string }) => {
  try {
    const output = encodeFindings(blamelessReview(input));
    port.postMessage({ id, output }, [output.spans.buffer]);
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
