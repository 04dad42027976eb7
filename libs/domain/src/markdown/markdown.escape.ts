import { httpUrlProblem } from '../validation/fields.validation';

// CommonMark lets a backslash escape any ASCII punctuation. These are the ones that start
// markup inside a line: emphasis, code, links and images, raw HTML and autolinks, GFM
// strikethrough and tables, and the escape character itself; `&` only where it would start an
// entity reference (`&lt;`, `&#60;`), so that "AT&T" and query strings stay readable.
const INLINE_MARKUP = /[\\`*_[\]<>!~|]|&(?=#?[A-Za-z0-9]+;)/g;
// Inside `<…>`, only these could end the destination or be read as something else.
const DESTINATION_MARKUP = /[\\<>]|&(?=#?[A-Za-z0-9]+;)/g;

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/**
 * Plain text (a title, a name, a one-line description) as Markdown that shows exactly that
 * text: no link, image, emphasis or HTML can be smuggled in through it. Line breaks become
 * spaces, because these texts sit inside one list item or heading.
 */
export function markdownText(text: string): string {
  return oneLine(text).replace(INLINE_MARKUP, (c) => `\\${c}`);
}

/** Text shown literally and never linked: a code span whose fence is longer than any run of backticks inside. */
export function markdownCode(text: string): string {
  const flat = oneLine(text);
  const fence = '`'.repeat(Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * A Markdown link whose target is exactly `url` for any CommonMark parser: the destination is
 * written in angle brackets (so parentheses and spaces cannot end it) with what could end it or
 * be decoded escaped, and the text is escaped as plain text. A URL that is not one we would
 * accept today (stored before URLs were checked: a line break, `javascript:`) is not linked at
 * all but shown as code, so no export turns it into something to click.
 */
export function markdownLink(text: string, url: string): string {
  if (httpUrlProblem(url) !== null) return `${markdownText(text)} (not a valid link): ${markdownCode(url)}`;
  return `[${markdownText(text)}](<${url.replace(DESTINATION_MARKUP, (c) => `\\${c}`)}>)`;
}
