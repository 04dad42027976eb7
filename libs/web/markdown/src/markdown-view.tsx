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
  // An image written without alt text is announced as its file name; mark it decorative.
  if (node.tagName === 'IMG' && !node.hasAttribute('alt')) node.setAttribute('alt', '');
  // Links leave the app in a new tab without handing it window.opener.
  if (node.tagName === 'A' && node.getAttribute('href')?.match(/^https?:/)) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/**
 * Markdown written by users, rendered as sanitised HTML: DOMPurify strips scripts, event
 * handlers and javascript: URLs, so a stored payload never runs in a reader's browser; `style`
 * and `id` go too, so a stored `<div style="position:fixed">` cannot cover the page for every
 * reader, nor a stored id stand in for one of the page's own.
 */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_ATTR: ['style', 'id'] });
}

export function MarkdownView({ source, emptyText = 'Nothing written yet.' }: { source: string | null | undefined; emptyText?: string }) {
  const html = useMemo(() => (source ? renderMarkdown(source) : ''), [source]);
  if (!source) return <p className="hs-muted">{emptyText}</p>;
  return <div className="hs-markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
