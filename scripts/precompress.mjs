// Writes a brotli (`.br`) and a gzip (`.gz`) copy beside every text and WebAssembly file
// of the built dashboard, at the highest levels, once at build time: the server (and any
// CDN that serves precompressed files) sends them as they are, never compressing per
// request. `config.json` is left alone: deployments rewrite it.
//   node scripts/precompress.mjs DIR
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = new Set(['.wasm', '.js', '.css', '.html', '.svg']);
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/precompress.mjs DIR');
  process.exit(2);
}

for (const name of readdirSync(dir)) {
  const file = path.join(dir, name);
  if (!statSync(file).isFile() || !COMPRESSIBLE.has(path.extname(name))) continue;
  const raw = readFileSync(file);
  const brotli = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gzip = gzipSync(raw, { level: 9 });
  writeFileSync(`${file}.br`, brotli);
  writeFileSync(`${file}.gz`, gzip);
  console.log(`precompress: ${name} ${raw.length} B → br ${brotli.length} B, gzip ${gzip.length} B`);
}
