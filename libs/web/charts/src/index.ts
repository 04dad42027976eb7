export { Histogram, type HistogramProps } from './histogram';
export { HBars } from './hbars';
export { TrendChart, type TrendChartProps, type TrendSeries, type TrendMarker } from './trend-chart';
