import { Controller, Get, Header, NotFoundException, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RestCost } from '@hindsight/server-graphql';
import { AuthService } from '@hindsight/server-identity';
import { PostmortemExportService } from './postmortem-export.service';

/**
 * `GET /incidents/<reference>/postmortem.md`: the postmortem as Markdown for any signed-in
 * user (Bearer token as for GraphQL). Outside GraphQL, so it checks the token itself.
 */
@Controller('incidents')
export class PostmortemExportController {
  constructor(
    private readonly auth: AuthService,
    private readonly exporter: PostmortemExportService,
  ) {}

  // The whole postmortem with its incident, timeline, factors and items: priced like myWork.
  @RestCost(100)
  @Get(':reference/postmortem.md')
  @Header('content-type', 'text/markdown; charset=utf-8')
  @Header('cache-control', 'private, no-store')
  async markdown(@Param('reference') reference: string, @Req() request: FastifyRequest): Promise<string> {
    await this.auth.restCaller(request.headers.authorization);
    const document = await this.exporter.markdown(reference);
    if (document === null) throw new NotFoundException(`No incident ${reference}`);
    return document;
  }
}
