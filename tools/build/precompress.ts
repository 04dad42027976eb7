// Writes `<file>.br` and `<file>.gz` beside every compressible file of a build, for servers
// that send precompressed files (@fastify/static's preCompressed): the strongest settings,
// paid once at build time instead of on every request. A variant that does not save at least
// 5% is left out, so the server sends the plain file.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Precompressed { path: string; plain: number; compressed: number }

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/;
const MIN_BYTES = 1024;

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Returns what was written, for the build's size report. */
export function precompress(dir: string): Precompressed[] {
  const written: Precompressed[] = [];
  for (const path of files(dir)) {
    if (!COMPRESSIBLE.test(path)) continue;
    const plain = readFileSync(path);
    if (plain.length < MIN_BYTES) continue;
    const br = brotliCompressSync(plain, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: plain.length } });
    const gz = gzipSync(plain, { level: 9 });
    for (const [ext, bytes] of [['br', br], ['gz', gz]] as const) {
      if (bytes.length > plain.length * 0.95) continue;
      writeFileSync(`${path}.${ext}`, bytes);
      written.push({ path: `${path}.${ext}`, plain: plain.length, compressed: bytes.length });
    }
  }
  return written;
}
