import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { OutboundGuard } from '@hindsight/server-outbound';
import { DeliveryError } from '../channel.adapter';
import { guardWith, overdueNudge } from '../testing/loopback.receiver';
import { EmailChannel, NO_SMTP_ERROR, smtpUrlWithTimeouts } from './email.channel';

/** A real SMTP server on loopback: refuses `unknown@` for good (550) and `busy@` for now (451). */
async function startSmtp(): Promise<{ server: SMTPServer; port: number; mails: { to: string[]; data: string }[] }> {
  const mails: { to: string[]; data: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('unknown@')) return callback(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
      if (address.address.startsWith('busy@')) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
      return callback();
    },
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString()));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as AddressInfo).port, mails };
}

describe('EmailChannel (a real guard, a loopback SMTP server)', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const open: (OutboundGuard | EmailChannel)[] = [];
  const channel = (allowlist: string, smtpUrl: string | null) => {
    const guard = guardWith(allowlist);
    const email = new EmailChannel(guard, { smtpUrl, smtpFrom: 'Hindsight <chaser@hindsight.test>' });
    open.push(guard, email);
    return email;
  };
  const attempt = async (email: EmailChannel, to: string): Promise<DeliveryError | null> => {
    const m = overdueNudge();
    try {
      await email.send(email.render(m), { recipient: to, target: null, credential: null }, m.deliveryId);
      return null;
    } catch (e) {
      return e instanceof DeliveryError ? e : email.classify(e);
    }
  };

  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    open.forEach((o) => o.close());
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
  });

  it('sends a multipart message with the answers as links and buttons, tagged with the delivery id', async () => {
    expect(await attempt(channel('127.0.0.1', `smtp://127.0.0.1:${smtp.port}`), 'ana@example.test')).toBeNull();
    const mail = smtp.mails.at(-1);
    expect(mail?.to).toEqual(['ana@example.test']);
    expect(mail?.data).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(mail?.data).toContain(`X-Hindsight-Delivery: ${overdueNudge().deliveryId}`);
    expect(mail?.data).toContain('Need more time</a>');
  });

  it('a 5xx reply fails for good, a 4xx one is tried again', async () => {
    const email = channel('127.0.0.1', `smtp://127.0.0.1:${smtp.port}`);
    expect(await attempt(email, 'unknown@example.test')).toMatchObject({ permanent: true, retryAfterMs: null, message: expect.stringMatching(/^SMTP: .*no such mailbox/) });
    expect(await attempt(email, 'busy@example.test')).toMatchObject({ permanent: false, message: expect.stringMatching(/^SMTP: .*try again later/) });
  });

  it('an SMTP server inside the network is refused for good unless allowed; no SMTP_URL fails at once with what to set', async () => {
    const before = smtp.mails.length;
    expect(await attempt(channel('', `smtp://127.0.0.1:${smtp.port}`), 'ana@example.test')).toMatchObject({ permanent: true, message: expect.stringMatching(/^SMTP: 127\.0\.0\.1 is a loopback address/) });
    expect(await attempt(channel('', null), 'ana@example.test')).toMatchObject({ permanent: true, message: NO_SMTP_ERROR });
    expect(smtp.mails.length).toBe(before);
  });

  it('bounds nodemailer\'s timeouts so a send stays inside its lease, keeping any set in SMTP_URL', () => {
    expect(new URL(smtpUrlWithTimeouts('smtp://mail.example.test:25')).searchParams.get('socketTimeout')).toBe('15000');
    expect(new URL(smtpUrlWithTimeouts('smtp://mail.example.test:25?greetingTimeout=3000')).searchParams.get('greetingTimeout')).toBe('3000');
  });
});
