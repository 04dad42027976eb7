import { Controller, Delete, Get, HttpException, Post, Req, Res } from '@nestjs/common';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { RestCost } from '@hindsight/server-graphql';
import { AuthService } from '@hindsight/server-identity';
import { McpTools } from './mcp.tools';

/**
 * A JSON-RPC error answer outside the SDK (the caller was not let in), with the fields every
 * REST refusal carries (`message`, and `reason` such as API_TOKEN_READ_ONLY) beside it.
 */
function rpcError(reply: FastifyReply, status: number, message: string, headers: Record<string, string> = {}, extra: object = {}): void {
  void reply.status(status).headers({ 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).send({ ...extra, message, jsonrpc: '2.0', error: { code: -32000, message }, id: null });
}

/**
 * `POST /mcp`: the Model Context Protocol over streamable HTTP, stateless (docs/mcp.md). Every
 * request carries `Authorization: Bearer <API token>` and acts as the token's owner with the
 * owner's role; a new server and transport answer each request, so any API process serves any
 * request. Answers are JSON, not event streams; GET (a stream of server messages) and DELETE
 * (ending a session) are 405: there are no sessions.
 */
@Controller('mcp')
export class McpController {
  constructor(
    private readonly auth: AuthService,
    private readonly tools: McpTools,
  ) {}

  // Every message, a tool call included, is priced like the costliest tool against the caller's
  // one budget (docs/security.md): find_similar_incidents, Incident.similar's 1,000 points (the
  // issue 22 probe measured 2–3 s per incident at 200,000 incidents).
  @RestCost(1000)
  @Post()
  async post(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // One message per request: a JSON-RPC batch would run many tools for one request's price
    // (MCP 2025-06-18 has no batches).
    if (Array.isArray(request.body)) {
      rpcError(reply, 400, 'Send one JSON-RPC message per request: batches are not accepted.');
      return;
    }
    let actor;
    try {
      actor = await this.auth.restCaller(request.headers.authorization, 'read');
    } catch (e) {
      if (!(e instanceof HttpException)) throw e;
      const status = e.getStatus();
      const body = e.getResponse();
      rpcError(reply, status, e.message, status === 401 ? { 'www-authenticate': 'Bearer realm="hindsight", error="invalid_token"' } : {}, typeof body === 'object' ? body : {});
      return;
    }
    const server = this.tools.serverFor({ actor, authorization: request.headers.authorization, requestId: String(request.id ?? randomUUID()) });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    // The SDK writes to the raw response: carry over what the API's hooks set (the security headers).
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    reply.hijack();
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  }

  @Get()
  stream(@Res() reply: FastifyReply): void {
    this.notAllowed(reply);
  }

  @Delete()
  endSession(@Res() reply: FastifyReply): void {
    this.notAllowed(reply);
  }

  private notAllowed(reply: FastifyReply): void {
    rpcError(reply, 405, 'This MCP server is stateless: send each JSON-RPC message as a POST (no GET event stream, no sessions to DELETE).', { allow: 'POST' });
  }
}
