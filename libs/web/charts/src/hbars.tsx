import './charts.css';

/** Ranked horizontal bars (e.g. top factor categories), readable as a plain list. */
export function HBars({ items, label }: { items: readonly { label: string; value: number }[]; label: string }) {
  const max = Math.max(1, ...items.map((i) => i.value));
  return (
    <ul className="hs-hbars" aria-label={label}>
      {items.map((item) => (
        <li key={item.label}>
          <span>{item.label}</span>
          <span className="hs-hbars__bar" style={{ width: `${(item.value / max) * 100}%` }} aria-hidden="true" />
          <span>{item.value}</span>
        </li>
      ))}
    </ul>
  );
}
