import { Controller, Get, Inject, Logger, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SsoErrorCode } from '@hindsight/domain';
import { CONFIG, type ResolvedConfig } from '@hindsight/server-config';
import { SsoError } from './sso.error';
import { ATTEMPT_TTL_SECONDS, SsoService } from './sso.service';

/** Binds an attempt to the browser that started it; sent back only to the callback. */
export const BINDING_COOKIE = 'hindsight_oidc';
const CALLBACK_PATH = '/auth/oidc/callback';

/**
 * `GET /auth/oidc/login[?returnTo=/path][&tab=<nonce>]` sends the browser to the provider;
 * `GET /auth/oidc/callback` is where the provider sends it back. Either way the browser lands on
 * the web app's sign-in page: `/signin#sso_token=…&return=…&tab=<nonce>` (the fragment never
 * reaches a server, a log or a Referer; the page takes the token only when the tab nonce is the
 * one it kept, and wipes the fragment from history) or `/signin#sso_error=<code>`.
 */
@Controller('auth/oidc')
export class OidcController {
  private readonly log = new Logger('OidcController');
  private readonly publicUrl: string;
  private readonly secureCookie: boolean;

  constructor(
    @Inject(CONFIG) config: ResolvedConfig,
    private readonly sso: SsoService,
  ) {
    this.publicUrl = config.publicUrl;
    this.secureCookie = config.publicUrl.startsWith('https:');
  }

  @Get('login')
  async login(@Query('returnTo') returnTo: unknown, @Query('tab') tab: unknown, @Res() reply: FastifyReply): Promise<void> {
    try {
      const { authorizationUrl, browserBinding } = await this.sso.begin(returnTo, tab);
      const cookie = `${BINDING_COOKIE}=${browserBinding}; Path=${CALLBACK_PATH}; Max-Age=${ATTEMPT_TTL_SECONDS}; HttpOnly; SameSite=Lax${this.secureCookie ? '; Secure' : ''}`;
      await this.send(reply.header('set-cookie', cookie), authorizationUrl);
    } catch (e) {
      await this.fail(reply, e);
    }
  }

  @Get('callback')
  async callback(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // The binding is single-use like the attempt: gone whatever the outcome.
    reply.header('set-cookie', `${BINDING_COOKIE}=; Path=${CALLBACK_PATH}; Max-Age=0; HttpOnly; SameSite=Lax${this.secureCookie ? '; Secure' : ''}`);
    const params = Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'));
    try {
      const client = { clientIp: request.ip, userAgent: request.headers['user-agent'] ?? null };
      const { token, returnTo, tabNonce } = await this.sso.complete(params, cookieValue(request.headers.cookie, BINDING_COOKIE), client);
      await this.send(reply, `${this.publicUrl}/signin#${new URLSearchParams({ sso_token: token, return: returnTo, ...(tabNonce ? { tab: tabNonce } : {}) })}`);
    } catch (e) {
      await this.fail(reply, e);
    }
  }

  private async fail(reply: FastifyReply, e: unknown): Promise<void> {
    let code: SsoErrorCode = 'failed';
    if (e instanceof SsoError) {
      code = e.code;
      if (code === 'failed' || code === 'provider-unreachable') this.log.error(e.message);
      else this.log.warn(e.message);
    } else {
      this.log.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
    await this.send(reply, `${this.publicUrl}/signin#${new URLSearchParams({ sso_error: code })}`);
  }

  private async send(reply: FastifyReply, location: string): Promise<void> {
    await reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(location, 302);
  }
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || null;
  }
  return null;
}
