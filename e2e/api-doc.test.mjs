// Runs every `sh` block of docs/API.md, in order, as one bash script against a fresh
// server, so the documented curl calls stay true. Any failing call (curl --fail-with-body)
// fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, repoRoot } from './support/server.mjs';

// A real 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
  'base64',
);

test('every curl example of docs/API.md works against a real server', async () => {
  const server = await startServer();
  const work = mkdtempSync(path.join(tmpdir(), 'trackboard-api-doc-'));
  try {
    const markdown = readFileSync(path.join(repoRoot, 'docs/API.md'), 'utf8');
    const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]);
    assert.ok(blocks.length >= 10, `only ${blocks.length} examples found`);
    writeFileSync(path.join(work, 'sample.png'), PNG);
    writeFileSync(path.join(work, 'checkpoint.pt'), Buffer.alloc(50_000, 7));
    const script = ['set -euo pipefail', 'shopt -s expand_aliases', ...blocks].join('\n');
    const run = spawnSync('bash', ['-c', script], {
      cwd: work,
      env: { ...process.env, TB: `${server.url}/api/v1`, TOKEN: server.token },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 0, `the examples failed:\n${run.stderr}\n${run.stdout.slice(-2000)}`);
    assert.ok(existsSync(path.join(work, 'loss.csv')));
    assert.match(readFileSync(path.join(work, 'loss.csv'), 'utf8'), /^series,step,value\nloss,0,1\n/);
    assert.deepEqual(readFileSync(path.join(work, 'downloaded.pt')), Buffer.alloc(50_000, 7));
    // An image read with the token and through its signed link, without one.
    assert.deepEqual(readFileSync(path.join(work, 'image.png')), PNG);
    assert.deepEqual(readFileSync(path.join(work, 'linked.png')), PNG);
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
