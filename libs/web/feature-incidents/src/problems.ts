import { errorMessage, fieldProblems } from '@hindsight/web-data-access';

/**
 * The API's BAD_USER_INPUT errors for a form: `at(name)` is the message for one field
 * (matched with or without the "input." prefix, and for list items "input.segments.2");
 * `general` is what no field on the form claims, so it is shown above the form instead.
 */
export function formProblems(error: unknown, fields: readonly string[]) {
  const problems = fieldProblems(error);
  const bare = (f: string) => f.replace(/^input\./, '').replace(/\.\d+$/, '');
  const at = (name: string): string | null => problems.find((p) => bare(p.field) === name)?.message ?? null;
  const unclaimed = problems.filter((p) => !fields.includes(bare(p.field)));
  const general = error && (problems.length === 0 || unclaimed.length > 0) ? (unclaimed.length ? unclaimed.map((p) => p.message).join(' ') : errorMessage(error)) : null;
  return { at, general };
}
