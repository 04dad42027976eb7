export { Histogram, type HistogramProps } from './histogram';
export { HBars } from './hbars';
export { TrendChart, type TrendChartProps, type TrendSeries, type TrendMarker } from './trend-chart';
export { SmallMultiples, type SmallMultiple, type SmallMultiplesProps } from './small-multiples';
export { pickWorst, cappedScale, countScale, niceCeil, layoutLabels, rowCount, intersects, type Ranked, type CappedScale, type LabelRequest, type PlacedLabel } from './layout';
export { BudgetBurn, BURN_PANELS, BURN_AXIS_CAP, type BudgetBurnProps, type BurnSeries } from './budget-burn';
