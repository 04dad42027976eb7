/**
 * A service's answer as a GraphQL query selecting `selection` would see it: only the fields
 * named, nested as the braces say, Dates as ISO strings, missing values as null. For
 * module-level specs that call a room's service and compare what a query used to select, so a
 * field the service adds (or a resolver leaves to a loader) does not change the comparison.
 *
 *   selected(await insights.reliabilityReport(filter), 'incidents points { periodStart cost }')
 */
export function selected<T = Record<string, unknown>>(value: unknown, selection: string): T {
  const tokens = selection.match(/[A-Za-z_][A-Za-z0-9_]*|[{}]/g) ?? [];
  let at = 0;
  type Shape = Map<string, Shape | null>;
  const parse = (): Shape => {
    const shape: Shape = new Map();
    while (at < tokens.length && tokens[at] !== '}') {
      const name = tokens[at++];
      if (name === '{') throw new Error(`selection "${selection}": "{" without a field before it`);
      if (tokens[at] === '{') {
        at++;
        shape.set(name, parse());
        if (tokens[at++] !== '}') throw new Error(`selection "${selection}": "{" after ${name} is not closed`);
      } else {
        shape.set(name, null);
      }
    }
    return shape;
  };
  const shape = parse();
  if (at !== tokens.length) throw new Error(`selection "${selection}": a "}" too many`);
  const pick = (v: unknown, s: Shape | null): unknown => {
    if (v === undefined || v === null) return null;
    if (Array.isArray(v)) return v.map((x) => pick(x, s));
    if (s === null) return v;
    if (typeof v !== 'object') throw new Error(`selection "${selection}": fields selected on ${JSON.stringify(v)}`);
    return Object.fromEntries([...s].map(([k, sub]) => [k, pick((v as Record<string, unknown>)[k], sub)]));
  };
  return pick(JSON.parse(JSON.stringify(value ?? null)), shape) as T;
}
