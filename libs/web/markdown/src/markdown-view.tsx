import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo } from 'react';

// An image written without alt text is announced as its file name; mark it decorative.
// Links leave the app in a new tab without handing it window.opener.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'IMG' && !node.hasAttribute('alt')) node.setAttribute('alt', '');
  if (node.tagName === 'A' && node.getAttribute('href')?.match(/^https?:/)) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/**
 * Markdown written by users, rendered as sanitised HTML: DOMPurify strips scripts, event
 * handlers and javascript: URLs, so a stored payload never runs in a reader's browser.
 */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

export function MarkdownView({ source, emptyText = 'Nothing written yet.' }: { source: string | null | undefined; emptyText?: string }) {
  const html = useMemo(() => (source ? renderMarkdown(source) : ''), [source]);
  if (!source) return <p className="hs-muted">{emptyText}</p>;
  return <div className="hs-markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
