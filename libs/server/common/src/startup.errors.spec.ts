import { databaseStartupError, listenStartupError, maskUrl, StartupError, startupFailureLine } from './startup.errors';
import { logFormat } from './logger';

const sysError = (code: string, message = code) => Object.assign(new Error(message), { code });

it('masks the password of a URL and leaves the rest readable', () => {
  expect(maskUrl('postgres://app:s3cr%40t@db.internal:6432/hindsight?sslmode=require')).toBe('postgres://app:***@db.internal:6432/hindsight?sslmode=require');
  expect(maskUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  expect(maskUrl('not a url')).toBe('(unparseable URL)');
});

it('explains listen failures by the setting that chose the port', () => {
  expect(listenStartupError(sysError('EADDRINUSE'), 'PORT', 3000)?.message).toBe('PORT=3000 is already in use by another process: stop it, or set PORT to a free port.');
  expect(listenStartupError(sysError('EACCES'), 'PORT', 80)?.setting).toBe('PORT');
  expect(listenStartupError(sysError('EADDRNOTAVAIL'), 'PORT', 3000)?.setting).toBe('HOST');
  expect(listenStartupError(new Error('something else'), 'PORT', 3000)).toBeNull();
});

it('explains database failures by what the operator should do', () => {
  const url = 'postgres://u:pw@db:5432/h';
  expect(databaseStartupError(sysError('ECONNREFUSED'), url).message).toBe('cannot reach PostgreSQL at postgres://u:***@db:5432/h (ECONNREFUSED): start it, or set DATABASE_URL to a running server.');
  // Node reports a refused dual-stack connect as an AggregateError whose parts carry the code.
  expect(databaseStartupError(new AggregateError([sysError('ECONNREFUSED')], ''), url).message).toContain('(ECONNREFUSED)');
  expect(databaseStartupError(sysError('28P01', 'password authentication failed for user "u"'), url).message).toMatch(/refused the credentials.*fix the user or password in DATABASE_URL/);
  expect(databaseStartupError(sysError('3D000'), url).message).toMatch(/does not exist: run `npm run db:migrate`/);
  expect(databaseStartupError(new Error('Connection terminated due to connection timeout'), url).message).toMatch(/timed out/);
  for (const e of [sysError('ECONNREFUSED'), sysError('28P01'), new Error('x')]) expect(databaseStartupError(e, url).message).not.toContain('pw@');
});

it('prints start-up and configuration failures as one line, and leaves anything else alone', () => {
  expect(startupFailureLine('hindsight-api', new StartupError('PORT=1 is taken.', 'PORT'))).toBe('hindsight-api cannot start: PORT=1 is taken.');
  const configError = Object.assign(new Error('multi\nline'), { name: 'ConfigError', problems: ['PORT must be a number', 'LOG_LEVEL must be one of …'] });
  expect(startupFailureLine('hindsight-worker', configError)).toBe('hindsight-worker cannot start: PORT must be a number; LOG_LEVEL must be one of … (see the README, "Configuration").');
  expect(startupFailureLine('hindsight-api', new TypeError('bug'))).toBeNull();
});

it('logs JSON unless a person is at a terminal, and LOG_FORMAT decides over both', () => {
  expect(logFormat({}, false)).toBe('json');
  expect(logFormat({}, true)).toBe('pretty');
  expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
  expect(logFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
});
