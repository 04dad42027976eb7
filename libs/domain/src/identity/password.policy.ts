import { COMMON_PASSWORDS } from './common-passwords.data';

/*
 * What a new password must be (NIST SP 800-63B §5.1.1.2): long enough, and not one that
 * attackers try first. No composition rules (they make passwords harder to remember, not to
 * guess). Every new password follows it — chosen with changePassword, set by an ADMIN as a
 * temporary one, or HINDSIGHT_ADMIN_PASSWORD. A password chosen before the rule keeps working:
 * a sign-in with one that fails it is asked to choose a new one.
 */

export const PASSWORD_MIN_CHARS = 12;
/** The upper bound caps the cost of hashing what a stranger sends. */
export const PASSWORD_MAX_CHARS = 1024;
/** Fewer distinct characters than this is a repetition (`aaaaaaaaaaaa`, `abababababab`), not a password. */
const MIN_DISTINCT_CHARS = 4;
/** The shortest listed password that also counts as the base of `<password><digits or symbols>`. */
const MIN_BASE_CHARS = 4;

let blocklist: Set<string> | null = null;
const common = (): Set<string> => (blocklist ??= new Set(COMMON_PASSWORDS.split('\n')));

/**
 * Why `password` may not be a new password, or null when it may. Length counts characters
 * (code points), not bytes. Refused: shorter than 12 or longer than 1024 characters; one of the
 * ~5,000 most common passwords (whatever its case); such a password followed by digits or
 * symbols (`password2024!`) or written twice (`dragondragon`); fewer than 4 distinct characters.
 */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_CHARS) return `must be at least ${PASSWORD_MIN_CHARS} characters (got ${length}); a few unrelated words make a long password that is easy to remember`;
  if (length > PASSWORD_MAX_CHARS) return `must be at most ${PASSWORD_MAX_CHARS} characters (got ${length})`;
  const p = password.normalize('NFKC').toLowerCase();
  if (new Set(p).size < MIN_DISTINCT_CHARS) return 'repeats too few characters; choose a password that is harder to guess';
  const base = p.replace(/[\d\W_]+$/u, '');
  const half = p.length % 2 === 0 ? p.slice(0, p.length / 2) : null;
  if (common().has(p) || (base.length >= MIN_BASE_CHARS && common().has(base)) || (half !== null && half + half === p && common().has(half))) {
    return 'is one of the most common passwords, which attackers try first; choose another (a few unrelated words make a good one)';
  }
  return null;
}

/** True when the password follows the rule for new passwords (a sign-in with one that does not must change it). */
export function passwordMeetsPolicy(password: string): boolean {
  return passwordProblem(password) === null;
}
