import { CanActivate, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@hindsight/server-common';
import { CallerBudget, DEFAULT_REST_POINTS, REST_COST_KEY } from '@hindsight/server-graphql';
import { ActorCache } from '@hindsight/server-identity';

/**
 * Charges every REST route (exports, reports, alert and change intake, SCIM, tracker webhooks,
 * single sign-on) to the caller's budget, the one GraphQL spends (`CallerBudget`): the
 * signed-in person or API token's owner, else the client address. Past it: 429 with
 * `Retry-After`, `code: RATE_LIMITED` and `retryAfterSeconds`, before the route does any work.
 */
@Injectable()
export class RestBudgetGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly budget: CallerBudget,
    private readonly actors: ActorCache,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType<string>() !== 'http') return true;
    const points = this.reflector.getAllAndOverride<number | undefined>(REST_COST_KEY, [ctx.getHandler(), ctx.getClass()]) ?? DEFAULT_REST_POINTS;
    if (points <= 0) return true;
    const request = ctx.switchToHttp().getRequest<FastifyRequest>();
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    // The route itself refuses a bad token (401); here it only decides whose budget is spent.
    const actor = await this.actors.actorFromHeader(request.headers.authorization).catch(() => null);
    try {
      this.budget.charge({ actorId: actor?.id, clientIp: request.ip }, points, (wait) => void reply.header('retry-after', String(wait)));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      throw new HttpException({ statusCode: 429, error: 'Too Many Requests', message: e.message, code: e.code, ...e.extensions }, 429);
    }
    return true;
  }
}
