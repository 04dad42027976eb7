/*
 * How failed sign-ins are limited (docs/security.md, "Sign-in limits"). Every attempt that
 * would check a password is first reserved against its counters, atomically, and counted as a
 * failure until the password proves right: however many requests arrive at once, no more
 * passwords are checked than the limits allow.
 *
 * - A client address: 50 failures in 15 minutes, whatever the accounts, and it waits out the window.
 * - An account from one client address (and an e-mail address from one client address, which
 *   also covers addresses with no account): 10 failures lock that pair for the window. The
 *   lock is per client address so that someone guessing elsewhere cannot lock the owner — the
 *   last ADMIN included — out of their own account.
 * - An account from all addresses: after 20 failures in the window, its password checks are
 *   spaced out (2 s apart, doubling every further 20 failures, at most 30 s). This slows a
 *   guesser with many addresses but never locks: the owner gets in at the next free slot, and
 *   from an address they signed in from within 30 days they are not slowed at all.
 */

export const SIGN_IN_LIMITS = {
  windowSeconds: 15 * 60,
  perClient: 50,
  perAccountPerClient: 10,
  backoffAfter: 20,
  backoffStartSeconds: 2,
  backoffMaxSeconds: 30,
  familiarDays: 30,
} as const;

/** client: one client address; lock: an account or e-mail address from one client address; backoff: an account or e-mail address from anywhere. */
export type SignInRule = 'client' | 'lock' | 'backoff';

export interface SignInKey {
  key: string;
  rule: SignInRule;
}

export interface SignInCounter {
  failures: number;
  windowStart: Date;
  /** When a password check was last reserved under this key. */
  lastAttemptAt: Date;
}

export type SignInVerdict = { allowed: true } | { allowed: false; rule: SignInRule; retryAfterSeconds: number };

/**
 * The counters one attempt reserves. `email` is the normalised address (null when the text is
 * no address: such attempts share one key per client); `userId` the account it names, if any;
 * `familiar` whether the account signed in from this client address recently (then no back-off).
 */
export function signInKeys(a: { email: string | null; userId: string | null; clientIp: string; familiar: boolean }): SignInKey[] {
  const email = a.email ?? '(not an address)';
  const keys: SignInKey[] = [
    { key: `ip:${a.clientIp}`, rule: 'client' },
    { key: `lock:email:${email}|${a.clientIp}`, rule: 'lock' },
  ];
  if (a.userId) keys.push({ key: `lock:user:${a.userId}|${a.clientIp}`, rule: 'lock' });
  if (!a.familiar) {
    keys.push({ key: `backoff:email:${email}`, rule: 'backoff' });
    if (a.userId) keys.push({ key: `backoff:user:${a.userId}`, rule: 'backoff' });
  }
  return keys;
}

/** Failures that still count: none once the counter's window has passed. */
export function liveFailures(counter: SignInCounter | undefined, now: Date): number {
  if (!counter) return 0;
  return counter.windowStart.getTime() + SIGN_IN_LIMITS.windowSeconds * 1000 > now.getTime() ? counter.failures : 0;
}

/** How long password checks of an account wait for each other after `failures` failures from everywhere (0: not at all). */
export function backoffSeconds(failures: number): number {
  const { backoffAfter, backoffStartSeconds, backoffMaxSeconds } = SIGN_IN_LIMITS;
  if (failures < backoffAfter) return 0;
  const doublings = Math.floor((failures - backoffAfter) / backoffAfter);
  return Math.min(backoffMaxSeconds, backoffStartSeconds * 2 ** Math.min(doublings, 10));
}

/** Whether one more password check may be reserved; when not, the longest wait among the refusing counters. */
export function signInVerdict(keys: readonly SignInKey[], counters: ReadonlyMap<string, SignInCounter>, now: Date): SignInVerdict {
  let refusal: SignInVerdict = { allowed: true };
  const refuse = (rule: SignInRule, untilMs: number): void => {
    const retryAfterSeconds = Math.max(1, Math.ceil((untilMs - now.getTime()) / 1000));
    if (refusal.allowed || retryAfterSeconds > refusal.retryAfterSeconds) refusal = { allowed: false, rule, retryAfterSeconds };
  };
  for (const { key, rule } of keys) {
    const counter = counters.get(key);
    const failures = liveFailures(counter, now);
    if (!counter || failures === 0) continue;
    const windowEnd = counter.windowStart.getTime() + SIGN_IN_LIMITS.windowSeconds * 1000;
    if (rule === 'client' && failures >= SIGN_IN_LIMITS.perClient) refuse(rule, windowEnd);
    if (rule === 'lock' && failures >= SIGN_IN_LIMITS.perAccountPerClient) refuse(rule, windowEnd);
    if (rule === 'backoff') {
      const nextAt = counter.lastAttemptAt.getTime() + backoffSeconds(failures) * 1000;
      if (nextAt > now.getTime()) refuse(rule, nextAt);
    }
  }
  return refusal;
}

/**
 * The rules whose limit this failure has just reached (failures after it, per key): a lock
 * or back-off starting, written once to the audit log rather than once per refused request.
 */
export function limitsReached(keys: readonly SignInKey[], failuresAfter: ReadonlyMap<string, number>): SignInKey[] {
  const limit = { client: SIGN_IN_LIMITS.perClient, lock: SIGN_IN_LIMITS.perAccountPerClient, backoff: SIGN_IN_LIMITS.backoffAfter } as const;
  return keys.filter((k) => failuresAfter.get(k.key) === limit[k.rule]);
}
