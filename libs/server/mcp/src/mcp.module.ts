import { Module } from '@nestjs/common';
import { ActionItemsModule } from '@hindsight/server-action-items';
import { IdentityModule } from '@hindsight/server-identity';
import { IncidentsModule } from '@hindsight/server-incidents';
import { SearchModule } from '@hindsight/server-search';
import { WorkModule } from '@hindsight/server-work';
import { McpController } from './mcp.controller';
import { McpTools } from './mcp.tools';

/** The MCP server at /mcp (issue 26, docs/mcp.md): agents use Hindsight within the caller's rights. */
@Module({
  imports: [IdentityModule, IncidentsModule, ActionItemsModule, SearchModule, WorkModule],
  controllers: [McpController],
  providers: [McpTools],
})
export class McpModule {}
