// Starts the real tracking server on a free port with a temporary SQLite database,
// serving the built dashboard from dist/ (or another directory).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const serverBinary =
  process.env.TRACKBOARD_SERVER_BIN ?? path.join(repoRoot, 'target/debug/trackboard-server');

/**
 * @param {{demo?: boolean, dashboardDir?: string, corsOrigins?: string[]}} options
 * @returns {Promise<{url: string, token: string, pid: number, dataArgs: string[], signInUrl: string, stop: () => Promise<void>, api: (p: string, init?: RequestInit) => Promise<Response>}>}
 */
export async function startServer({ demo = false, dashboardDir = path.join(repoRoot, 'dist'), corsOrigins = [] } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trackboard-e2e-'));
  const args = [
    '--bind', '127.0.0.1:0',
    '--database-url', `sqlite://${path.join(dataDir, 'trackboard.db')}`,
    '--artifact-dir', path.join(dataDir, 'artifacts'),
    '--dashboard-dir', dashboardDir,
  ];
  if (!demo) args.push('--no-demo');
  for (const origin of corsOrigins) args.push('--cors-origin', origin);
  const child = spawn(serverBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });

  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s:\n${log}`)), 20_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/running at (http:\/\/\S+?)\/?\s/);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${log}`)); });
  });

  // A new database prints its first admin token and a sign-in link before the URL line.
  const signInUrl = out.match(/Sign the dashboard in: (\S+)/)?.[1];
  const token = signInUrl?.split('#token=')[1];
  if (!token) throw new Error(`the server printed no admin token:\n${out}`);

  return {
    url,
    token,
    pid: child.pid,
    // For commands run against the same data (e.g. `trackboard-server snapshot`).
    dataArgs: args.slice(2, 6),
    signInUrl,
    api: (p, init = {}) => fetch(`${url}/api/v1${p}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    }),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
