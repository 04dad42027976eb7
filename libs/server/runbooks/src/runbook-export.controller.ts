import { Controller, Get, Header, NotFoundException, Param, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { runbookMarkdown } from '@hindsight/domain';
import { ReplicaReads } from '@hindsight/server-db';
import { AuthService } from '@hindsight/server-identity';
import { RunbooksService } from './runbooks.service';
import { RunbooksRepository } from './runbooks.repository';

/**
 * `GET /runbooks/<id>.md`: the runbook as Markdown for any signed-in user, with the same
 * Bearer-token check as the postmortem export. Only `.md` paths match, so the web app's
 * `/runbooks/<id>` page is still served to browsers.
 */
@Controller('runbooks')
export class RunbookExportController {
  constructor(
    private readonly auth: AuthService,
    private readonly runbooks: RunbooksService,
    private readonly repo: RunbooksRepository,
    private readonly reads: ReplicaReads,
  ) {}

  @Get(':id.md')
  @Header('content-type', 'text/markdown; charset=utf-8')
  @Header('cache-control', 'private, no-store')
  async markdown(@Param('id') id: string, @Req() request: FastifyRequest): Promise<string> {
    await this.auth.restCaller(request.headers.authorization);
    // An export reads the replica when it has what the primary had committed (ReplicaReads).
    return this.reads.run(async () => {
      const runbook = await this.runbooks.byId(id);
      if (!runbook) throw new NotFoundException(`No runbook ${id}`);
      const serviceName = await this.repo.serviceName(runbook.serviceId);
      return runbookMarkdown({ ...runbook, serviceName, version: runbook.version });
    });
  }
}
