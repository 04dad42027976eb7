import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo } from 'react';

const TABLE_ALIGN = /^(left|center|right)$/;
const CODE_LANGUAGE = /^language-[\w+#-]{1,40}$/;

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  // Layout is the app's, not the author's: only a GFM table column's alignment survives (as the
  // `align` attribute marked writes, which needs no inline style), and only marked's code
  // language class — never one of the app's own classes, which could pin a box over the page.
  const align = node.getAttribute('align');
  if (align !== null && !((node.tagName === 'TH' || node.tagName === 'TD') && TABLE_ALIGN.test(align))) node.removeAttribute('align');
  const className = node.getAttribute('class');
  if (className !== null && !(node.tagName === 'CODE' && CODE_LANGUAGE.test(className))) node.removeAttribute('class');
  // The one form control Markdown writes is a GFM task list's checkbox: any other input becomes one, inert.
  if (node.tagName === 'INPUT') {
    node.setAttribute('type', 'checkbox');
    node.setAttribute('disabled', '');
    for (const name of ['name', 'value', 'placeholder', 'list']) node.removeAttribute(name);
  }
  // An image written without alt text is announced as its file name; mark it decorative.
  if (node.tagName === 'IMG' && !node.hasAttribute('alt')) node.setAttribute('alt', '');
  // Links leave the app in a new tab without handing it window.opener.
  if (node.tagName === 'A' && node.getAttribute('href')?.match(/^https?:/)) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/**
 * Elements that make a page of text into something else for every reader: a box laid over
 * the page (`dialog open` is positioned out of the flow), a form asking for a password, media
 * and image maps. Markdown never writes them; a postmortem needs none of them.
 */
const FORBID_TAGS = [
  'dialog', 'form', 'button', 'textarea', 'select', 'option', 'optgroup', 'datalist', 'fieldset', 'legend', 'label', 'output', 'meter', 'progress',
  'marquee', 'map', 'area', 'video', 'audio', 'source', 'track',
];
/** Layout, focus and top-layer attributes: the page's, not the author's. */
const FORBID_ATTR = ['style', 'id', 'popover', 'popovertarget', 'popovertargetaction', 'autofocus', 'tabindex', 'accesskey', 'contenteditable', 'usemap', 'form', 'formaction', 'inert', 'hidden'];

/**
 * Markdown written by users, rendered as sanitised HTML: DOMPurify strips scripts, event
 * handlers and javascript: URLs, so a stored payload never runs in a reader's browser; `style`
 * and `id` go too, so a stored `<div style="position:fixed">` cannot cover the page for every
 * reader, nor a stored id stand in for one of the page's own; and so do dialogs, forms and the
 * other tags and attributes above (the issue 22 probe laid a `<dialog open>` over a postmortem).
 */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true, breaks: false });
  return demoteHeadings(DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS, FORBID_ATTR }));
}

/**
 * A page has one h1 (its title) and h2 sections; the author's "# Restart" sits inside one of
 * those, so their headings move down two levels (h1 → h3, … h6 stays h6).
 */
export function demoteHeadings(html: string): string {
  return html.replace(/<(\/?)h([1-6])(?=[\s>])/gi, (_m, slash: string, level: string) => `<${slash}h${Math.min(6, Number(level) + 2)}`);
}

export function MarkdownView({ source, emptyText = 'Nothing written yet.' }: { source: string | null | undefined; emptyText?: string }) {
  const html = useMemo(() => (source ? renderMarkdown(source) : ''), [source]);
  if (!source) return <p className="hs-muted">{emptyText}</p>;
  return <div className="hs-markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
