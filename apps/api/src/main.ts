import 'reflect-metadata';
import { ConfigError, loadConfig } from '@hindsight/server-config';
import { createApiApp } from '@hindsight/server-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen({ port: config.port, host: config.host });
  console.log(JSON.stringify({ level: 'info', msg: `Hindsight API listening on ${config.publicUrl}` }));
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
});
