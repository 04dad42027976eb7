import { Injectable } from '@nestjs/common';
import { SIGN_IN_LIMITS } from '@hindsight/domain';
import { IdentityRepository } from './identity.repository';
import { SessionsRepository } from './sessions.repository';

/**
 * What the worker clears up for identity on a schedule: sign-in failure counters whose window
 * has passed, and sessions finished long enough ago that they can never count again. Both are
 * safe to run anywhere, any number of times at once.
 */
@Injectable()
export class IdentityHousekeeping {
  constructor(
    private readonly identity: IdentityRepository,
    private readonly sessions: SessionsRepository,
  ) {}

  /** Returns how many counters went. */
  pruneSignInCounters(): Promise<number> {
    return this.identity.pruneLoginAttempts(SIGN_IN_LIMITS.windowSeconds);
  }

  /** Returns how many sessions went (FINISHED_SESSION_RETENTION_DAYS after they ended or expired). */
  pruneFinishedSessions(): Promise<number> {
    return this.sessions.pruneFinished();
  }
}
