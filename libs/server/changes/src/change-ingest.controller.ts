import { BadRequestException, Body, Controller, ForbiddenException, HttpCode, NotFoundException, Param, Post, Req, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError, isUuid, SecretBoxError } from '@hindsight/server-common';
import { AuthService } from '@hindsight/server-identity';
import { ChangeIngestService, IngestOutcome } from './change-ingest.service';

const NO_SOURCE = "No change source here: copy the webhook URL from the change source (changeSources in GraphQL).";

/**
 * Changes in (docs/changes.md):
 * - `POST /api/changes` with `Authorization: Bearer <API token>` of a COMMANDER or above: the
 *   generic JSON shape, or an Argo CD notification;
 * - `POST /api/changes/<change source id>`: GitHub `deployment_status` and GitLab deployment
 *   webhooks, which cannot send a token: the change source's secret verifies them instead.
 * 200 with what happened (a replay: `unchanged`); 400 names the bad field; 401 a bad or
 * missing token or signature.
 */
@Controller('api/changes')
export class ChangeIngestController {
  constructor(
    private readonly auth: AuthService,
    private readonly ingest: ChangeIngestService,
  ) {}

  @Post()
  @HttpCode(200)
  async receive(@Body() body: unknown, @Req() request: FastifyRequest): Promise<IngestOutcome> {
    // Recording a change is a write: a READ_ONLY or SCIM token is refused (403 with its reason).
    const actor = await this.auth.restCaller(request.headers.authorization, 'write');
    return answer(() => this.ingest.fromToken(actor, request.headers, body));
  }

  @Post(':sourceId')
  @HttpCode(200)
  async receiveSigned(@Param('sourceId') sourceId: string, @Body() body: unknown, @Req() request: RawBodyRequest<FastifyRequest>): Promise<IngestOutcome> {
    if (!isUuid(sourceId)) throw new NotFoundException(NO_SOURCE);
    // The signature covers the bytes as sent; re-serialising the parsed body would not match.
    const raw = request.rawBody ?? Buffer.from(JSON.stringify(body ?? null));
    return answer(() => this.ingest.fromSource(sourceId, request.headers, raw, body));
  }
}

/** Typed errors as HTTP answers a sender's delivery log shows: what was wrong, and where. */
async function answer(work: () => Promise<IngestOutcome>): Promise<IngestOutcome> {
  try {
    return await work();
  } catch (e) {
    // The sender retries a 503; an ADMIN fixes the key (or rotates the source's secret) meanwhile.
    if (e instanceof SecretBoxError) throw new ServiceUnavailableException(`This change source's secret cannot be read by this server: ${e.message} (docs/security.md).`);
    if (!(e instanceof AppError)) throw e;
    const ext = e.extensions;
    if (e.code === 'BAD_USER_INPUT') throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: e.message, field: ext['field'] ?? null, errors: ext['fields'] ?? [{ field: ext['field'], reason: ext['reason'] }] });
    if (e.code === 'UNAUTHENTICATED') throw new UnauthorizedException(e.message);
    if (e.code === 'FORBIDDEN') throw new ForbiddenException(e.message);
    if (e.code === 'NOT_FOUND') throw new NotFoundException(NO_SOURCE);
    throw e;
  }
}
