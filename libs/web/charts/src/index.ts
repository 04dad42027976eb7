export { StackedBars, type StackedBarsProps, type StackedSeries } from './stacked-bars';
export { Histogram, type HistogramProps } from './histogram';
export { HBars } from './hbars';
