// `node -r @swc-node/register tools/build/precompress.main.ts <dir>`: the last step of
// `npm run build:web`, so the API can send the web app compressed without compressing per request.
import { precompress } from './precompress';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: precompress.main.ts <build directory>');
  process.exit(2);
}
const brotli = precompress(dir).filter((w) => w.path.endsWith('.br'));
const kB = (n: number) => `${(n / 1024).toFixed(0)} kB`;
const before = brotli.reduce((n, w) => n + w.plain, 0);
const after = brotli.reduce((n, w) => n + w.compressed, 0);
console.log(`precompressed ${brotli.length} files: ${kB(before)} -> ${kB(after)} with brotli (gzip beside them)`);
