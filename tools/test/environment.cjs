// The Node test environment with every test's and hook's timeout multiplied by one factor
// (`timeScale`, set in jest.config.js), whether it comes from the config, jest.setTimeout or
// the spec itself: the timeouts are tuned on a quiet machine, and a file that waits on servers
// and child processes takes several times as long when other work shares the cores. A real hang
// still fails, after the scaled timeout.
const { TestEnvironment } = require('jest-environment-node');

class ScaledTimeouts extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.timeScale = Number(config.projectConfig.testEnvironmentOptions?.timeScale) || 1;
    this.scaled = new WeakSet();
    // For a spec's own deadlines (scaled() in @hindsight/server-db/testing).
    this.global.process.env['TEST_TIME_SCALE'] = String(this.timeScale);
  }

  // Circus reads a hook's or test's timeout right after dispatching its start.
  handleTestEvent(event, state) {
    const target = event.name === 'hook_start' ? event.hook : event.name === 'test_fn_start' ? event.test : null;
    if (!target || this.timeScale === 1 || this.scaled.has(target)) return;
    this.scaled.add(target);
    target.timeout = Math.round((target.timeout || state.testTimeout) * this.timeScale);
  }
}

module.exports = ScaledTimeouts;
