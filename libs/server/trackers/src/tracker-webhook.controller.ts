import { Controller, HttpCode, NotFoundException, Param, Post, Req, UnauthorizedException } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { isUuid } from '@hindsight/server-common';
import { TrackerSyncService, WebhookOutcome } from './tracker-sync.service';

/**
 * `POST /api/trackers/<connection id>/webhook`: the tracker's own webhooks, verified with the
 * connection's secret the way that tracker signs (no Hindsight token: the signature is the
 * authentication). A bad signature gets 401 and changes nothing.
 */
@Controller('api/trackers')
export class TrackerWebhookController {
  constructor(private readonly sync: TrackerSyncService) {}

  @Post(':id/webhook')
  @HttpCode(200)
  async receive(@Param('id') id: string, @Req() request: RawBodyRequest<FastifyRequest>): Promise<{ outcome: WebhookOutcome }> {
    if (!isUuid(id)) throw new NotFoundException('No tracker connection here: copy the webhook URL from Settings → Trackers.');
    const raw = request.rawBody ?? Buffer.from(JSON.stringify(request.body ?? null));
    const outcome = await this.sync.receiveWebhook(id, request.headers, raw, request.body);
    if (outcome === 'no-connection') throw new NotFoundException('No tracker connection here: copy the webhook URL from Settings → Trackers.');
    if (outcome === 'bad-signature') throw new UnauthorizedException("The webhook's signature does not match this connection's webhook secret.");
    return { outcome };
  }
}
