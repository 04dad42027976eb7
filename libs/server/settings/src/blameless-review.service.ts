import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { extname, join } from 'node:path';
import { blamelessReview, checkText, collectErrors, type LanguageFinding } from '@hindsight/domain';
import { AppError, assertValid, PoolBusyError, WorkerPool } from '@hindsight/server-common';
import { decodeFindings, EncodedFindings } from './blameless-review.codec';

/**
 * Below this many UTF-16 units a review takes well under a millisecond or two and runs in
 * place; longer text (about 1 ms per kilobyte, 100 ms for the 100 kB a field may hold) goes to
 * a worker thread, so 150 long reviews at once do not stall every other request.
 */
export const INLINE_REVIEW_CHARS = 2048;

/**
 * Long reviews waiting for a thread, at most: about 25 s of work for one thread. Beyond,
 * SERVICE_UNAVAILABLE (retryable); the per-caller budget keeps one caller from filling it.
 */
const MAX_WAITING = 256;

@Injectable()
export class BlamelessReviewService implements OnModuleDestroy {
  private readonly pool = new WorkerPool<string, EncodedFindings>(join(__dirname, `blameless-review.worker${extname(__filename)}`), undefined, MAX_WAITING);

  /** Blame-laden phrasing in `text` (at most 100 kB: BAD_USER_INPUT beyond). */
  async review(text: string): Promise<LanguageFinding[]> {
    assertValid(collectErrors(checkText('text', text)));
    if (text.length <= INLINE_REVIEW_CHARS) return blamelessReview(text);
    return this.pool.run(text).then((encoded) => decodeFindings(text, encoded), (error: unknown) => {
      if (error instanceof PoolBusyError) {
        throw new AppError('Too many long texts are being reviewed right now; nothing was lost. Try again in a few seconds.', 'SERVICE_UNAVAILABLE', { retryable: true });
      }
      throw error;
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }
}
