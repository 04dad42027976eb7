export * from './mcp.module';
export * from './mcp.tools';
