/**
 * A failure to start that the operator can fix by changing one setting. The process prints
 * its message as one line and exits non-zero, instead of a stack trace.
 */
export class StartupError extends Error {
  constructor(message: string, readonly setting: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** A connection URL fit for a log line: the password never leaves the process. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

interface SystemError { code?: unknown; message?: unknown }

function codeOf(e: unknown): string {
  const code = (e as SystemError | null)?.code;
  if (typeof code === 'string') return code;
  // AggregateError (e.g. ECONNREFUSED on both ::1 and 127.0.0.1) keeps the code on its parts.
  const inner = (e as { errors?: unknown[] } | null)?.errors?.[0];
  return inner ? codeOf(inner) : '';
}

/** Explains a failed `listen()` on `setting`'s port, or returns null when it is something else. */
export function listenStartupError(e: unknown, setting: string, port: number, advice = ''): StartupError | null {
  const code = codeOf(e);
  if (code === 'EADDRINUSE') return new StartupError(`${setting}=${port} is already in use by another process: stop it, or set ${setting} to a free port${advice}.`, setting);
  if (code === 'EACCES') return new StartupError(`${setting}=${port} needs privileges this process lacks: set ${setting} to a port above 1023${advice}.`, setting);
  if (code === 'EADDRNOTAVAIL') return new StartupError(`cannot listen for ${setting}=${port}: the address is not on this machine (check HOST).`, 'HOST');
  return null;
}

/** Explains why PostgreSQL could not be used at start-up, naming DATABASE_URL. */
export function databaseStartupError(e: unknown, url: string): StartupError {
  const where = maskUrl(url);
  const code = codeOf(e);
  const reason = String((e as SystemError | null)?.message ?? e);
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return new StartupError(`cannot reach PostgreSQL at ${where} (${code}): start it, or set DATABASE_URL to a running server.`, 'DATABASE_URL');
    case '28P01':
    case '28000':
      return new StartupError(`PostgreSQL at ${where} refused the credentials (${reason}): fix the user or password in DATABASE_URL.`, 'DATABASE_URL');
    case '3D000':
      return new StartupError(`the database in ${where} does not exist: run \`npm run db:migrate\`, which creates and migrates it, or fix DATABASE_URL.`, 'DATABASE_URL');
    default:
      if (/timeout/i.test(reason)) return new StartupError(`cannot reach PostgreSQL at ${where} (timed out): start it, or set DATABASE_URL to a running server.`, 'DATABASE_URL');
      return new StartupError(`cannot use PostgreSQL at ${where}: ${reason}. Check DATABASE_URL.`, 'DATABASE_URL');
  }
}

/** The one line a process prints before exiting on a start-up failure. */
export function startupFailureLine(processName: string, e: unknown): string | null {
  if (e instanceof StartupError) return `${processName} cannot start: ${e.message}`;
  const problems = (e as { name?: string; problems?: unknown } | null)?.name === 'ConfigError' ? (e as { problems: unknown }).problems : null;
  if (Array.isArray(problems)) return `${processName} cannot start: ${problems.join('; ')} (see the README, "Configuration").`;
  return null;
}
