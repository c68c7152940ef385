// What each crate contributes to the dashboard's wasm (issue 5, P5), from twiggy's item
// list of the cargo build that trunk bundles (before wasm-bindgen and wasm-opt, so with
// its function names). Items are attributed to the first crate their name mentions —
// generic code is counted where it is written, not where it is used. Run:
//   cargo install twiggy --locked   # once
//   twiggy top -n 1000000 --format csv target/wasm32-unknown-unknown/wasm-release/trackboard.wasm \
//     | node scripts/bundle_breakdown.mjs
import { readFileSync } from 'node:fs';

const lines = readFileSync(0, 'utf8').trim().split('\n').slice(1);
const byCrate = new Map();
let code = 0;
for (const line of lines) {
  const match = line.match(/^(.*),(\d+),[\d.]+,[\d.]*,[\d.]*$/);
  if (!match) continue;
  const name = match[1].replace(/^"|"$/g, '').replace(/""/g, '"');
  const size = Number(match[2]);
  // Custom sections (names, wasm-bindgen's metadata) and wasm-bindgen's describe
  // functions (read at build time, then removed) never reach the shipped file.
  if (/subsection|custom section|__wbindgen_describe/.test(name)) continue;
  code += size;
  const crate = name.match(/data segment/) ? '(data: string constants, tables)'
    : (name.match(/([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/)?.[1] ?? '(unnamed: glue, tables)');
  byCrate.set(crate, (byCrate.get(crate) ?? 0) + size);
}
const rows = [...byCrate].sort((a, b) => b[1] - a[1]);
console.log(`| crate | KB | share |\n|---|---|---|`);
for (const [crate, size] of rows.slice(0, 20)) {
  console.log(`| ${crate} | ${(size / 1024).toFixed(0)} | ${((100 * size) / code).toFixed(1)} % |`);
}
const rest = rows.slice(20).reduce((sum, [, size]) => sum + size, 0);
console.log(`| ${rows.length - 20} others | ${(rest / 1024).toFixed(0)} | ${((100 * rest) / code).toFixed(1)} % |`);
console.log(`\n${(code / 1024).toFixed(0)} KB of code and data before wasm-bindgen and wasm-opt.`);
