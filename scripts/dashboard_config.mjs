// Writes the runtime config of a built dashboard: <dir>/config.json naming the API.
//   node scripts/dashboard_config.mjs dist https://tracking.example.com
// Refuses anything but a plain http(s) URL, leaving the old config.json as it was.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [dir, apiUrl] = process.argv.slice(2);
function refuse(message) {
  console.error(`dashboard_config: ${message}`);
  process.exit(2);
}
if (!dir || apiUrl === undefined) refuse('usage: node scripts/dashboard_config.mjs DIST_DIR API_BASE_URL');
if (!existsSync(path.join(dir, 'index.html'))) refuse(`${dir} holds no index.html: build the dashboard first`);

let url;
try {
  url = new URL(apiUrl);
} catch {
  refuse(`API_BASE_URL must be an http(s) URL like https://tracking.example.com, got ${JSON.stringify(apiUrl)}`);
}
if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash) {
  refuse(`API_BASE_URL must be a plain http(s) URL without credentials, query or fragment, got ${JSON.stringify(apiUrl)}`);
}
const base = url.href.replace(/\/+$/, '');
writeFileSync(path.join(dir, 'config.json'), `${JSON.stringify({ api_base_url: base }, null, 2)}\n`);
console.log(`dashboard_config: ${path.join(dir, 'config.json')} points at ${base}`);
