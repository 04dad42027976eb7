import { BadRequestException, Body, Controller, ForbiddenException, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@hindsight/server-common';
import { AuthService } from '@hindsight/server-identity';
import { AlertIngestService, AlertOutcome } from './alert-ingest.service';

/**
 * `POST /api/alerts/alertmanager|pagerduty|opsgenie`: point an alerting system's webhook here
 * with `Authorization: Bearer <API token>` (a COMMANDER's or above) and firing alerts open
 * incidents, acknowledgements and resolutions advance them.
 */
@Controller('api/alerts')
export class AlertsController {
  constructor(
    private readonly auth: AuthService,
    private readonly alerts: AlertIngestService,
  ) {}

  @Post(':source')
  @HttpCode(200)
  async receive(@Param('source') source: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<AlertOutcome> {
    // Opening incidents is a write: a READ_ONLY or SCIM token is refused here (403 with its reason).
    const actor = await this.auth.restCaller(request.headers.authorization, 'write');
    try {
      return await this.alerts.ingest(actor, source, body);
    } catch (e) {
      if (e instanceof AppError && e.code === 'BAD_USER_INPUT') {
        throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: e.message, field: e.extensions['field'] ?? null });
      }
      if (e instanceof AppError && e.code === 'FORBIDDEN') throw new ForbiddenException(e.message);
      throw e;
    }
  }
}
