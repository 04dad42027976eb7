// Which test files start first. Jest runs the files it has timed before slowest first, so no
// worker sits idle at the end waiting on one long file; a file it has never timed (every file
// on a fresh clone) it orders by size, which says little here: a short spec that starts the
// API, a browser or a database cluster outlasts a long one of pure functions. Untimed files
// get an estimate from what they start instead, and the slowest still go first.
const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

/** Rough seconds of what a spec starts, the largest that applies (measured on a 2-core machine). */
const COSTS = [
  // Its own Postgres cluster, PgBouncer, Redis servers or worker processes.
  [/startPostgres\(|startReplica\(|startPgBouncer\(|startRedis\(|startSentinels\(|startCluster\(|startTlsRedis\(|startWorkerProcess\(|spawn\(process\.execPath|forkApi\(/, 60],
  // Chromium against the API.
  [/launchBrowser\(/, 45],
  // Thousands of rows made in the database.
  [/generate_series\(1, \d{4,}\)/, 40],
  [/startApi\(/, 25],
  [/createTestDatabase\(|testModule\(|startSmtp\(/, 12],
];

function estimate(path) {
  let source = '';
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    return 1;
  }
  let seconds = 1 + source.length / 20_000;
  for (const [pattern, cost] of COSTS) if (pattern.test(source)) seconds = Math.max(seconds, cost + source.length / 5_000);
  return seconds * 1000;
}

class SlowestFirst extends Sequencer {
  time(test) {
    return super.time(test) ?? estimate(test.path);
  }
}

module.exports = SlowestFirst;
module.exports.estimate = estimate;
