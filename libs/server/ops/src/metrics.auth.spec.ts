import { metricsAuthorized } from './metrics.auth';

const TOKEN = 'metrics-token-0123456789abcdef';

describe('metricsAuthorized', () => {
  it('is open when METRICS_TOKEN is unset', () => {
    expect(metricsAuthorized(undefined, null)).toBe(true);
    expect(metricsAuthorized('Bearer anything', null)).toBe(true);
  });
  it('needs the bearer token when it is set', () => {
    expect(metricsAuthorized(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(metricsAuthorized(`bearer  ${TOKEN} `, TOKEN)).toBe(true);
    expect(metricsAuthorized([`Bearer ${TOKEN}`], TOKEN)).toBe(true);
  });
  it.each([undefined, '', 'Bearer', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN, `Basic ${TOKEN}`, 'Bearer '])('refuses %p', (header) => {
    expect(metricsAuthorized(header, TOKEN)).toBe(false);
  });
});
