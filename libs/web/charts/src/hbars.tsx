import './charts.css';

/**
 * Ranked horizontal bars (e.g. top factor categories), readable as a plain list. Its axes are
 * named in a head row: what each bar is (`categoryLabel`) and what its length counts (`valueLabel`).
 */
export function HBars({ items, label, categoryLabel = 'Category', valueLabel = 'Count' }: { items: readonly { label: string; value: number }[]; label: string; categoryLabel?: string; valueLabel?: string }) {
  const max = Math.max(1, ...items.map((i) => i.value));
  return (
    <figure className="hs-chart-figure" data-chart="hbars">
      <p className="hs-hbars__head hs-chart__axis-title" aria-hidden="true">
        <span data-axis="y">{categoryLabel}</span> <span aria-hidden="true">·</span> <span data-axis="x">{valueLabel}</span>
      </p>
      <ul className="hs-hbars" aria-label={`${label} (${valueLabel.toLowerCase()})`}>
        {items.map((item) => (
          <li key={item.label}>
            <span>{item.label}</span>
            <span className="hs-hbars__bar" style={{ width: `${(item.value / max) * 100}%` }} aria-hidden="true" />
            <span>{item.value}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
