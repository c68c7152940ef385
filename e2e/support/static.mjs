// A plain static file server, standing in for a CDN: its own origin (port), the
// dashboard's files with their content types, index.html for app routes.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** @returns {Promise<{url: string, requests: string[], close: () => Promise<void>}>} */
export async function serveStatic(dir) {
  const requests = [];
  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url, 'http://static').pathname);
    requests.push(pathname);
    const extension = path.extname(pathname);
    // App routes (no extension) get index.html, as a CDN's SPA fallback does.
    const file = path.join(dir, extension ? path.normalize(pathname) : 'index.html');
    if (!file.startsWith(dir)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    // Connections a browser keeps open would hold `close` forever: they are cut.
    close: () => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    }),
  };
}
