// The live page in a real browser: the real service on its accelerated simulator, and headless
// Chromium (the system's, driven by playwright-core) on its page, collecting page errors.
// Without Chromium the caller's test is skipped loudly, except under CI=true, where it fails.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { embeddedServiceEnv, spawnNode, type NodeProcess } from './processes.js';

const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));
/** Screenshots go here (git-ignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const CHROMIUM = process.env.STORMWATCH_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface LivePage {
  service: NodeProcess;
  /** The service's URL, ending in /. */
  base: string;
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors so far. */
  problems: string[];
  /** Millisecond time the service was listening. */
  startedMs: number;
}

interface TestContext {
  after(fn: () => unknown): void;
  skip(message: string): void;
  name: string;
}

/**
 * Starts the service (simulator at `speedup`, `extraEnv` on top) and a browser on a page that is not
 * opened yet; undefined when Chromium is missing (the test is then skipped).
 */
export async function startLivePage(t: TestContext, speedup: number, extraEnv: Record<string, string> = {}, viewport = { width: 1280, height: 860 }): Promise<LivePage | undefined> {
  if (!existsSync(CHROMIUM)) {
    const message = `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set STORMWATCH_CHROMIUM)`;
    if (process.env.CI === 'true') assert.fail(message);
    process.stderr.write(`\n*** ${t.name}: SKIPPED: ${message} ***\n\n`);
    t.skip(message);
    return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), 'sw-live-page-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(ARTIFACTS, { recursive: true });
  const service = spawnNode(MAIN, [], { env: embeddedServiceEnv(dir, speedup, { STORMWATCH_LOG_LEVEL: 'info', ...extraEnv }) });
  t.after(() => service.kill('SIGKILL', 1000));
  const listening = JSON.parse(await service.waitForLine(/stormwatch listening/, 20_000)) as { port: number };
  const startedMs = Date.now();
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport, timeout: 30_000 });
  t.after(() => context.close().catch(() => undefined));
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  return { service, base: `http://127.0.0.1:${listening.port}/`, context, page, problems, startedMs };
}
