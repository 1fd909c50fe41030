// scripts/kafka.sh formats storage with a cluster id no option parser can misread. It formats a
// private state folder (no broker is started): jars from the local Maven repository, then
// kafka-storage random-uuid and format.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from '../support/kafka.js';

const execFileAsync = promisify(execFile);

async function format(dir: string): Promise<string> {
  const { stdout, stderr } = await execFileAsync('bash', [join(repoRoot(), 'scripts', 'kafka.sh'), 'format'], {
    // Ports nobody listens on: format binds nothing, but the config names them.
    env: { ...process.env, STORMWATCH_KAFKA_DIR: dir, STORMWATCH_KAFKA_PORT: '1', STORMWATCH_KAFKA_CONTROLLER_PORT: '2' },
    timeout: 180_000,
  });
  return stdout + stderr;
}

const metaClusterId = (dir: string): string | undefined => /^cluster\.id=(.*)$/m.exec(readFileSync(join(dir, 'data', 'meta.properties'), 'utf8'))?.[1];

test('a saved cluster id starting with "-" (1 fresh id in 64 before) is replaced and storage formats', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stormwatch-kafka-sh-'));
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cluster.id'), '-6y4gNRcirbVyIwgKiF0vA\n');
    const output = await format(dir);
    assert.match(output, /replacing the saved cluster id '-6y4gNRcirbVyIwgKiF0vA'/);
    const saved = readFileSync(join(dir, 'cluster.id'), 'utf8').trim();
    assert.match(saved, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    assert.equal(metaClusterId(dir), saved);
    // Formatted storage is left alone on the next run: same id, no new format.
    await format(dir);
    assert.equal(readFileSync(join(dir, 'cluster.id'), 'utf8').trim(), saved);
    assert.equal(metaClusterId(dir), saved);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
