import { lookup } from 'node:dns/promises';
import { createServer, IncomingHttpHeaders, OutgoingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelMessage, nudgeActions, nudgeMessage, parseOutboundAllowlist } from '@hindsight/domain';
import { OutboundGuard } from '@hindsight/server-outbound';

export interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on loopback; `answer` decides each response (200 by default). */
export class LoopbackReceiver {
  readonly received: Received[] = [];
  private server: Server | null = null;
  answer: (r: Received, n: number) => { status: number; headers?: OutgoingHttpHeaders; body?: string } = () => ({ status: 200 });

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const r = { url: req.url ?? '', headers: req.headers, body };
        this.received.push(r);
        const a = this.answer(r, this.received.length);
        res.writeHead(a.status, a.headers ?? {}).end(a.body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}${path}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The guard as the worker builds it; `allowlist` as OUTBOUND_ALLOWLIST (empty: loopback refused, as in production). */
export function guardWith(allowlist: string): OutboundGuard {
  const { hosts, cidrs } = parseOutboundAllowlist(allowlist);
  return new OutboundGuard({ allowPrivate: false, hosts, cidrs }, (host) => lookup(host, { all: true, verbatim: true }));
}

export const PUBLIC_URL = 'https://hindsight.example.test';
export const NOW = new Date('2024-06-12T09:00:00Z');

/** An OVERDUE nudge of an unassigned action item, as the delivery service hands it to an adapter. */
export function overdueNudge(deliveryId = '0b0b0b0b-0000-4000-8000-000000000001'): ChannelMessage {
  const actions = nudgeActions({ publicUrl: PUBLIC_URL, subjectKind: 'ACTION_ITEM', subjectId: 'item-1', incidentReference: 'INC-7', unassigned: true, deliveryId });
  const dueAt = new Date('2024-06-10T09:00:00Z');
  const words = nudgeMessage({ step: 'OVERDUE', subjectKind: 'ACTION_ITEM', title: 'Alert on queue depth', incidentReference: 'INC-7', teamName: 'Payments', dueAt, url: actions[0].url }, NOW);
  return {
    ...words, deliveryId, sentAt: NOW, recipient: '#payments', url: actions[0].url, actions,
    about: { kind: 'nudge', step: 'OVERDUE', subject: { kind: 'ACTION_ITEM', id: 'item-1', title: 'Alert on queue depth', dueAt, incidentReference: 'INC-7', team: 'Payments' } },
  };
}
