import { DEFAULT_CHANGE_WINDOW_MINUTES, shortVersion } from '@hindsight/domain';

/** The windows a commander picks from; an incident's own value is offered too when it is none of these. */
export const WINDOW_PRESETS = [30, 60, 120, DEFAULT_CHANGE_WINDOW_MINUTES, 480, 1440, 4320, 10080] as const;

/** 30 → "30 minutes", 240 → "4 hours", 1440 → "1 day". */
export function windowLabel(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

export function windowOptions(current: number): { value: string; label: string }[] {
  const values = (WINDOW_PRESETS as readonly number[]).includes(current) ? [...WINDOW_PRESETS] : [...WINDOW_PRESETS, current].sort((a, b) => a - b);
  return values.map((m) => ({ value: String(m), label: `${windowLabel(m)}${m === DEFAULT_CHANGE_WINDOW_MINUTES ? ' (default)' : ''}` }));
}

/** "checkout-api v2.14.0", "checkout-api f95f852": what a change is called in the list and its buttons' names. */
export function changeName(c: { serviceName: string; service: { name: string } | null; version: string | null }): string {
  const service = c.service?.name ?? c.serviceName;
  return c.version ? `${service} ${shortVersion(c.version)}` : service;
}
