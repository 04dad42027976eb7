import { changeName, windowLabel, windowOptions } from './changes.view';

describe('changes view', () => {
  it('reads windows as people say them', () => {
    expect([30, 60, 240, 1440, 4320, 90].map(windowLabel)).toEqual(['30 minutes', '1 hour', '4 hours', '1 day', '3 days', '90 minutes']);
  });

  it('offers the presets, and an incident\'s own window in its place', () => {
    expect(windowOptions(240).find((o) => o.value === '240')?.label).toBe('4 hours (default)');
    expect(windowOptions(90).map((o) => o.value)).toEqual(['30', '60', '90', '120', '240', '480', '1440', '4320', '10080']);
  });

  it('names a change by its service and short version', () => {
    expect(changeName({ serviceName: 'checkout', service: { name: 'checkout-api' }, version: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e' })).toBe('checkout-api f95f852');
    expect(changeName({ serviceName: 'Hello-World', service: null, version: null })).toBe('Hello-World');
  });
});
