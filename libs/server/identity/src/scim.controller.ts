import { Controller, Delete, Get, HttpException, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionActor } from '@hindsight/server-graphql';
import { AccessRefusals } from './access-refusals.service';
import { AuthService } from './auth.service';
import { scimResourceTypes, scimSchemas, scimServiceProviderConfig } from './scim.resources';
import { ScimError, ScimService } from './scim.service';

type Q = Record<string, string | undefined>;

/** The REST routes' one caller check (AuthService.restCaller), answered in SCIM's error shape. */
function scimRefusal(e: unknown): never {
  if (!(e instanceof HttpException)) throw e;
  if (e.getStatus() === 401) throw new ScimError(401, 'Send "Authorization: Bearer <API token>" with a SCIM token of an ADMIN (Settings → API tokens, scope SCIM).');
  const body = e.getResponse();
  const reason = typeof body === 'object' && body !== null && 'reason' in body ? String(body.reason) : undefined;
  throw new ScimError(e.getStatus(), e.message, undefined, reason);
}

/**
 * SCIM 2.0 at `/scim/v2` for identity providers (Okta, Entra ID) to provision and remove
 * people and teams. Authenticated with an ADMIN's API token (scope SCIM) as Bearer; answers and errors in
 * SCIM's shapes, as application/scim+json. See docs/scim.md.
 */
@Controller('scim/v2')
export class ScimController {
  constructor(
    private readonly auth: AuthService,
    private readonly scim: ScimService,
    private readonly refusals: AccessRefusals,
  ) {}

  @Get('ServiceProviderConfig')
  serviceProviderConfig(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, async () => scimServiceProviderConfig(this.scim.baseUrl()));
  }

  @Get('Schemas')
  schemas(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, async () => this.listOf(scimSchemas(this.scim.baseUrl())));
  }

  @Get('Schemas/:id')
  schema(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, async () => this.one(scimSchemas(this.scim.baseUrl()), id, 'Schema'));
  }

  @Get('ResourceTypes')
  resourceTypes(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, async () => this.listOf(scimResourceTypes(this.scim.baseUrl())));
  }

  @Get('ResourceTypes/:id')
  resourceType(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, async () => this.one(scimResourceTypes(this.scim.baseUrl()), id, 'ResourceType'));
  }

  @Get('Users')
  listUsers(@Query() q: Q, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, () => this.scim.listUsers(q));
  }

  @Post('Users')
  createUser(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 201, (actor) => this.scim.createUser(actor, req.body));
  }

  @Get('Users/:id')
  getUser(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, () => this.scim.getUser(id));
  }

  @Put('Users/:id')
  replaceUser(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, (actor) => this.scim.replaceUser(actor, id, req.body));
  }

  @Patch('Users/:id')
  patchUser(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, (actor) => this.scim.patchUser(actor, id, req.body));
  }

  @Delete('Users/:id')
  deleteUser(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 204, async (actor) => this.scim.deleteUser(actor, id));
  }

  @Get('Groups')
  listGroups(@Query() q: Q, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, () => this.scim.listGroups(q));
  }

  @Post('Groups')
  createGroup(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 201, (actor) => this.scim.createGroup(actor, req.body));
  }

  @Get('Groups/:id')
  getGroup(@Param('id') id: string, @Query() q: Q, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, () => this.scim.getGroup(id, q));
  }

  @Put('Groups/:id')
  replaceGroup(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, (actor) => this.scim.replaceGroup(actor, id, req.body));
  }

  @Patch('Groups/:id')
  patchGroup(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 200, (actor) => this.scim.patchGroup(actor, id, req.body));
  }

  @Delete('Groups/:id')
  deleteGroup(@Param('id') id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.answer(req, reply, 204, async (actor) => this.scim.deleteGroup(actor, id));
  }

  /** Authenticates (an ADMIN's API token), runs the work and answers in SCIM's shapes. */
  private async answer(req: FastifyRequest, reply: FastifyReply, status: number, work: (actor: SessionActor) => Promise<unknown>): Promise<void> {
    let out: { status: number; body: unknown };
    try {
      const write = req.method !== 'GET';
      const actor = await this.auth.restCaller(req.headers.authorization, write ? 'write' : 'read', 'scim').catch(scimRefusal);
      await this.admit(actor);
      const body = await work(actor);
      out = { status, body: status === 204 ? undefined : body };
    } catch (e) {
      const err = ScimError.from(e);
      if (!err) throw e;
      out = { status: err.status, body: err.body() };
    }
    if (out.status === 401) void reply.header('www-authenticate', 'Bearer realm="hindsight-scim"');
    await reply.status(out.status).header('content-type', 'application/scim+json; charset=utf-8').send(out.body === undefined ? undefined : JSON.stringify(out.body));
  }

  /**
   * SCIM takes an ADMIN's API token of scope SCIM, or (as before scopes existed) READ_WRITE;
   * the scope itself was checked with every REST route's (restCaller). Every refusal of a real
   * credential is audited.
   */
  private async admit(actor: SessionActor): Promise<void> {
    const refuse = async (reason: string, detail: string): Promise<never> => {
      await this.refusals.scimRefused(actor, reason);
      throw new ScimError(403, detail);
    };
    if (!actor.apiToken) await refuse('SIGN_IN_TOKEN', 'SCIM takes an API token, not a sign-in token: create a SCIM token for an ADMIN under Settings → API tokens.');
    if (actor.role !== 'ADMIN') await refuse('NOT_ADMIN', `SCIM needs an API token of an ADMIN; this one acts as a ${actor.role}.`);
  }

  private listOf(resources: Record<string, unknown>[]): Record<string, unknown> {
    return { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: resources };
  }

  private one(resources: Record<string, unknown>[], id: string, what: string): Record<string, unknown> {
    const found = resources.find((r) => r['id'] === id);
    if (!found) throw new ScimError(404, `No ${what} "${id}".`);
    return found;
  }
}
