/**
 * A spec's own deadline (waiting for a process to start, a condition to hold) multiplied by the
 * factor the test environment multiplies Jest's timeouts by (tools/test/environment.cjs): so a
 * deadline inside a test never runs out before the test's own timeout does on a busy machine.
 */
export function scaled(ms: number): number {
  return ms * (Number(process.env['TEST_TIME_SCALE']) || 1);
}
