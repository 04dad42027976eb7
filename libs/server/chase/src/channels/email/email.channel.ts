import { createTransport, Transporter } from 'nodemailer';
import { ChannelMessage, NotificationEmail, notificationEmail, smtpAttemptVerdict } from '@hindsight/domain';
import { SpanKind, withSpan } from '@hindsight/server-common';
import type { ResolvedConfig } from '@hindsight/server-config';
import { OutboundGuard, OutboundRefused, smtpSocketThrough } from '@hindsight/server-outbound';
import { ChannelAdapter, ChannelAddress, DeliveryError } from '../channel.adapter';

/** Why an email cannot go out: it is recorded at once (the sweep, digests, extension requests) or when sent. */
export const NO_SMTP_ERROR = 'email is not configured on this server: set SMTP_URL (and SMTP_FROM) and restart the worker';

/** nodemailer waits up to 10 minutes by default; bounded timeouts keep a send inside its lease. */
export function smtpUrlWithTimeouts(url: string): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries({ connectionTimeout: '10000', greetingTimeout: '10000', socketTimeout: '15000' })) {
    if (!u.searchParams.has(k)) u.searchParams.set(k, v);
  }
  return u.toString();
}

/**
 * EMAIL, to a person or a list address: nodemailer to SMTP_URL from SMTP_FROM, its connection
 * opened through the outbound guard. Multipart when the message offers answers: the plain text
 * with the links listed, and HTML with them as buttons.
 */
export class EmailChannel implements ChannelAdapter<'EMAIL', NotificationEmail> {
  readonly kind = 'EMAIL';
  readonly credential = null;
  private mailer: Transporter | null = null;

  constructor(
    private readonly guard: OutboundGuard,
    private readonly config: Pick<ResolvedConfig, 'smtpUrl' | 'smtpFrom'>,
  ) {}

  render(message: ChannelMessage): NotificationEmail {
    return notificationEmail(message);
  }

  async send(mail: NotificationEmail, to: ChannelAddress, deliveryId: string): Promise<void> {
    if (!this.config.smtpUrl) throw new DeliveryError(NO_SMTP_ERROR, true);
    const mailer = (this.mailer ??= createTransport({ url: smtpUrlWithTimeouts(this.config.smtpUrl), getSocket: smtpSocketThrough(this.guard) }));
    // A client span, like the HTTP channels' (OutboundGuard.request makes theirs).
    await withSpan('smtp send', SpanKind.CLIENT, { 'server.address': new URL(this.config.smtpUrl).hostname }, () =>
      mailer.sendMail({
        from: this.config.smtpFrom,
        to: to.recipient,
        subject: mail.subject,
        text: mail.text,
        // Every value in it is escaped.
        ...(mail.html === null ? {} : { html: mail.html }),
        headers: { 'X-Hindsight-Delivery': deliveryId },
      }),
    );
  }

  classify(failure: unknown): DeliveryError {
    const err = failure as { responseCode?: number; message?: string };
    const verdict = smtpAttemptVerdict(err.responseCode, failure instanceof OutboundRefused);
    return new DeliveryError(`SMTP: ${err.message ?? String(failure)}`, verdict.permanent);
  }

  close(): void {
    this.mailer?.close();
  }
}
