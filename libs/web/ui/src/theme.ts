/*
 * The theme for code that draws on a canvas or needs a colour as a value (charts). The values
 * live in theme.css only; this reads them, so a colour is never declared twice.
 */

/** A theme custom property's value (e.g. themeColor('--hs-danger')); the fallback before styles load. */
export function themeColor(name: `--hs-${string}`): string {
  if (typeof document === 'undefined') return 'currentColor';
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || 'currentColor';
}

/** `var(--hs-…)` for SVG and inline styles, which resolve custom properties themselves. */
export function themeVar(name: `--hs-${string}`): string {
  return `var(${name})`;
}

/** The chart series colours, in order; repeat only after eight. */
export const SERIES_VARS = ['--hs-series-1', '--hs-series-2', '--hs-series-3', '--hs-series-4', '--hs-series-5', '--hs-series-6', '--hs-series-7', '--hs-series-8'] as const;

export function seriesColor(index: number): string {
  return themeColor(SERIES_VARS[index % SERIES_VARS.length] as `--hs-${string}`);
}

export const SEVERITY_VARS = { SEV1: '--hs-sev1', SEV2: '--hs-sev2', SEV3: '--hs-sev3', SEV4: '--hs-sev4' } as const;
