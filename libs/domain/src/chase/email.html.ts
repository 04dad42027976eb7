import type { ChannelMessage } from './channel.message';
import { withActionLinks } from './nudge.message';
import type { NudgeAction } from './nudge-actions.policy';

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Only http(s) links become buttons: a javascript: or data: URL must never be clickable. */
function safeHref(url: string): string | null {
  return /^https?:\/\//i.test(url) ? escapeHtml(url) : null;
}

/**
 * The HTML part of a notification email: the plain text as paragraphs, then one button per
 * answer. Every value is escaped (titles are typed by people and may hold markup); styles
 * are inline because mail clients drop style sheets.
 */
export function notificationEmailHtml(subject: string, text: string, actions: readonly NudgeAction[]): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('Open it in Hindsight:'))
    .map((p) => `<p style="margin:0 0 12px">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  const buttons = actions
    .map((a) => {
      const href = safeHref(a.url);
      if (!href) return '';
      const primary = a.kind === 'OPEN';
      const style = primary
        ? 'background:#1f4fd1;color:#ffffff;border:1px solid #1f4fd1'
        : 'background:#ffffff;color:#1f4fd1;border:1px solid #1f4fd1';
      return `<a href="${href}" style="display:inline-block;margin:0 8px 8px 0;padding:8px 14px;border-radius:4px;text-decoration:none;${style}">${escapeHtml(a.label)}</a>`;
    })
    .filter((b) => b !== '');
  return [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:15px;line-height:1.5;color:#1b1f24">',
    ...paragraphs,
    buttons.length ? `<p style="margin:16px 0">${buttons.join('')}</p>` : '',
    '</body></html>',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

export interface NotificationEmail {
  /** One line, safe as a Subject header. */
  readonly subject: string;
  /** The message, then each answer as a link, for mail clients that show no HTML. */
  readonly text: string;
  /** With answers only: the same as paragraphs, the answers as buttons. */
  readonly html: string | null;
}

/** What an EMAIL delivery sends for a message of any kind: multipart when it offers answers. */
export function notificationEmail(m: ChannelMessage): NotificationEmail {
  return {
    subject: m.subject,
    text: withActionLinks(m.text, m.actions),
    html: m.actions.length ? notificationEmailHtml(m.subject, m.text, m.actions) : null,
  };
}
