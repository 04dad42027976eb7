import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SlackGateway, SlackRequestHeaders } from './slack.gateway';

const header = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Slack's Request URLs (docs/slack.md): interactivity (buttons, modals, the message shortcut)
 * and the `/hindsight` slash command. Both are form-encoded and signed; the gateway verifies.
 */
@Controller('slack')
export class SlackController {
  constructor(private readonly gateway: SlackGateway) {}

  @Post('interactions')
  @HttpCode(200)
  interactions(@Body() body: unknown, @Req() request: RawBodyRequest<FastifyRequest>, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    return this.answer('interaction', body, request, reply);
  }

  @Post('commands')
  @HttpCode(200)
  commands(@Body() body: unknown, @Req() request: RawBodyRequest<FastifyRequest>, @Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    return this.answer('command', body, request, reply);
  }

  private async answer(kind: 'interaction' | 'command', body: unknown, request: RawBodyRequest<FastifyRequest>, reply: FastifyReply): Promise<Record<string, unknown>> {
    const headers: SlackRequestHeaders = { timestamp: header(request, 'x-slack-request-timestamp'), signature: header(request, 'x-slack-signature'), retryNum: header(request, 'x-slack-retry-num') };
    // Without the bytes as sent there is nothing to verify: refused like a bad signature.
    const raw = request.rawBody ?? Buffer.alloc(0);
    const answer = await this.gateway.receive(kind, headers, raw, body);
    reply.status(answer.status);
    return answer.body;
  }
}
