import { Inject, Injectable, Optional } from '@nestjs/common';
import * as argon2 from 'argon2';
import { availableParallelism } from 'node:os';
import { rateLimited } from '@hindsight/server-common';

// OWASP's argon2id baseline (19 MiB, 2 passes): strong, and quick enough for a login path.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * How much hashing runs at once. argon2 runs on libuv's thread pool (4 threads), which file
 * reads (the web app's assets) and DNS look-ups share, on as many cores as the machine has:
 * unbounded, a burst of sign-ins fills the pool and the cores and every other request waits.
 * One core stays free for the event loop; a full queue answers RATE_LIMITED at once rather than
 * holding the request (and 19 MiB per waiting hash) for seconds.
 */
export const HASHING_LIMITS = {
  concurrency: Math.max(1, Math.min(3, availableParallelism() - 1)),
  queue: 32,
} as const;

/** Overrides HASHING_LIMITS (tests of the queue). */
export const PASSWORD_HASHING_LIMITS = Symbol('PASSWORD_HASHING_LIMITS');

export interface HashingStats {
  /** Password checks (verify) and hashes (new passwords) run so far. */
  checks: number;
  hashes: number;
  running: number;
  queued: number;
  /** The most run at once so far. */
  peakRunning: number;
  /** Refused because the queue was full. */
  refused: number;
}

@Injectable()
export class PasswordHasher {
  /** A hash to verify against when the email is unknown, so timing does not reveal accounts. */
  private decoy: Promise<string> | null = null;
  private readonly waiting: (() => void)[] = [];
  private readonly counts: HashingStats = { checks: 0, hashes: 0, running: 0, queued: 0, peakRunning: 0, refused: 0 };

  private readonly limits: { concurrency: number; queue: number };

  constructor(@Optional() @Inject(PASSWORD_HASHING_LIMITS) limits?: { concurrency: number; queue: number }) {
    this.limits = limits ?? HASHING_LIMITS;
  }

  /** A new password's hash. RATE_LIMITED when too many are already waiting. */
  hash(password: string): Promise<string> {
    return this.run(() => {
      this.counts.hashes++;
      return argon2.hash(password, OPTIONS);
    });
  }

  /** Whether the password matches the hash (a null hash: an unknown account, checked against a decoy). RATE_LIMITED when too many wait. */
  async verify(hash: string | null, password: string): Promise<boolean> {
    const target = hash ?? (await (this.decoy ??= argon2.hash('decoy-password-for-unknown-accounts', OPTIONS)));
    const ok = await this.run(() => {
      this.counts.checks++;
      return argon2.verify(target, password).catch(() => false);
    });
    return hash !== null && ok;
  }

  /** What the hasher has done and is doing (metrics, and tests counting real password checks). */
  stats(): HashingStats {
    return { ...this.counts };
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.counts.running >= this.limits.concurrency) {
      if (this.waiting.length >= this.limits.queue) {
        this.counts.refused++;
        throw rateLimited(1, 'The server is busy checking passwords. Try again in a second.');
      }
      this.counts.queued++;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      this.counts.queued--;
    } else {
      this.counts.running++;
    }
    this.counts.peakRunning = Math.max(this.counts.peakRunning, this.counts.running);
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so `running` never dips and is never exceeded.
      const next = this.waiting.shift();
      if (next) next();
      else this.counts.running--;
    }
  }
}
