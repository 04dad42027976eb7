import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Mail {
  to: string[];
  /** The message with folded lines unfolded (headers read easily; bodies may be mangled). */
  data: string;
  /** The message as received. */
  raw: string;
}

export interface SmtpReceiver {
  server: SMTPServer;
  port: number;
  mails: Mail[];
  close(): Promise<void>;
}

/** A real SMTP server on loopback (smtp-server) that keeps every message. */
export async function startSmtp(): Promise<SmtpReceiver> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString()));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data: data.replace(/\r\n[ \t]+/g, ' '), raw: data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** RFC 2047 Q-encoded words ("=?UTF-8?Q?…?="), as nodemailer writes long or non-ASCII headers. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_m, q: string) => Buffer.from(q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

const decodeQuotedPrintable = (qp: string): string =>
  Buffer.from(qp.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');

/** Everything after the headers, quoted-printable decoded (every part of a multipart message). */
export function bodyOf(mail: Mail): string {
  return decodeQuotedPrintable(mail.data.slice(mail.data.indexOf('\r\n\r\n') + 4));
}

export function headerOf(mail: Mail, name: string): string | undefined {
  const raw = new RegExp(`^${name}: (.*)$`, 'mi').exec(mail.data)?.[1]?.trim();
  return raw === undefined ? undefined : decodeWords(raw);
}

/** One part of a multipart message by content type, decoded (quoted-printable or base64); undefined when absent. */
export function partOf(mail: Mail, contentType: string): string | undefined {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(mail.data)?.[1];
  if (!boundary) return undefined;
  for (const part of mail.raw.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const headers = part.slice(0, split);
    if (!new RegExp(`^Content-Type: ${contentType}`, 'mi').test(headers)) continue;
    const body = part.slice(split + 4).replace(/\r\n$/, '');
    return /Content-Transfer-Encoding: base64/i.test(headers) ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : decodeQuotedPrintable(body);
  }
  return undefined;
}
