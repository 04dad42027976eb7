import type { Socket } from 'node:net';
import type { OutboundGuard } from './outbound.guard';

interface SmtpSocketOptions {
  host?: string;
  port?: number | string;
  secure?: boolean;
  connectionTimeout?: number | string;
}

/**
 * nodemailer's `getSocket`: the SMTP connection is opened through the guard (the host's
 * resolved address checked at connect); nodemailer then speaks SMTP over it and starts TLS
 * itself, against the host name, for smtps:// and STARTTLS alike.
 */
export function smtpSocketThrough(guard: OutboundGuard) {
  return (options: SmtpSocketOptions, callback: (err: Error | null, socketOptions?: { connection: Socket }) => void): void => {
    const port = Number(options.port) || (options.secure ? 465 : 587);
    guard.connect(options.host ?? 'localhost', port, Number(options.connectionTimeout) || 10_000).then(
      (connection) => callback(null, { connection }),
      (e: Error) => callback(e),
    );
  };
}
