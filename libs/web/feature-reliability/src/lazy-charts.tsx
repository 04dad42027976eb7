import { lazy, type ComponentType } from 'react';
import type * as ChartsModule from '@hindsight/web-charts';

type Charts = typeof ChartsModule;
type ChartName = 'TrendChart' | 'BudgetBurn' | 'Histogram' | 'HBars';

// uPlot and its wrapper are their own chunk: only the reliability pages download them, and only
// once the page's first screen is up.
let loaded: Charts | null = null;
let loading: Promise<Charts> | null = null;
const load = (): Promise<Charts> => (loading ??= import('@hindsight/web-charts').then((m) => (loaded = m)));

/** Starts fetching the charts' chunk (once the page's own figures are on screen). */
export const preloadCharts = (): void => void load().catch(() => (loading = null));

/**
 * A chart component that suspends only while the chunk is still on its way. Once it is in, the
 * chart renders at once: printing builds every section synchronously, and a Suspense fallback
 * at that moment would be what goes on paper.
 */
function chart<K extends ChartName>(name: K): Charts[K] {
  const Lazy = lazy(() => load().then((m) => ({ default: m[name] as ComponentType<Parameters<Charts[K]>[0]> })));
  function Chart(props: Parameters<Charts[K]>[0]) {
    const Component = (loaded?.[name] ?? Lazy) as ComponentType<Parameters<Charts[K]>[0]>;
    return <Component {...props} />;
  }
  Chart.displayName = name;
  return Chart as unknown as Charts[K];
}

export const TrendChart = chart('TrendChart');
export const BudgetBurn = chart('BudgetBurn');
export const Histogram = chart('Histogram');
export const HBars = chart('HBars');
