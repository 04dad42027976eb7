import { Module } from '@nestjs/common';
import { ActionItemsModule } from '@hindsight/server-action-items';
import { CatalogModule } from '@hindsight/server-catalog';
import { IdentityModule } from '@hindsight/server-identity';
import { IncidentsModule } from '@hindsight/server-incidents';
import { LearningModule } from '@hindsight/server-learning';
import { SearchModule } from '@hindsight/server-search';
import { WorkModule } from '@hindsight/server-work';
import { McpController } from './mcp.controller';
import { McpTools } from './mcp.tools';

/** The MCP server at /mcp (issue 26, docs/mcp.md): agents use Hindsight within the caller's rights. */
@Module({
  imports: [IdentityModule, CatalogModule, IncidentsModule, ActionItemsModule, SearchModule, WorkModule, LearningModule],
  controllers: [McpController],
  providers: [McpTools],
})
export class McpModule {}
