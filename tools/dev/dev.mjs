#!/usr/bin/env node
// `npm run dev`: API and worker from source with reload on change, and the Vite dev server
// (proxying the API) for the web app. Ctrl-C stops all three.
import { spawn } from 'node:child_process';

const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' };
const procs = [
  ['api', 'node', ['--watch-path=apps/api', '--watch-path=libs', '-r', '@swc-node/register', 'apps/api/src/main.ts'], { HINDSIGHT_PROCESS: 'api' }],
  ['worker', 'node', ['--watch-path=apps/worker', '--watch-path=libs', '-r', '@swc-node/register', 'apps/worker/src/main.ts'], { HINDSIGHT_PROCESS: 'worker' }],
  ['web', 'npx', ['vite', '--config', 'apps/web/vite.config.mts'], {}],
].map(([name, cmd, args, extra]) => {
  const p = spawn(cmd, args, { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk) => chunk.toString().split('\n').filter(Boolean).map((l) => `[${name}] ${l}`).join('\n') + '\n';
  p.stdout.on('data', (c) => process.stdout.write(prefix(c)));
  p.stderr.on('data', (c) => process.stderr.write(prefix(c)));
  return p;
});
const stop = () => { for (const p of procs) p.kill('SIGTERM'); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
