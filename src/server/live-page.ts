import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** The live page's files: plain HTML, JS and CSS, served as they are (no build step). */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

/** Where the page lives: beside this module (a build that copies it), else in the source tree. */
export function defaultPublicDir(): string | undefined {
  const candidates = [new URL('./public/', import.meta.url), new URL('../../../src/server/public/', import.meta.url)];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

// The page loads only its own script and style and talks only to this server's websocket.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Serves the live page at / (and /app.js, /style.css), read once at start. Returns false when the
 * files are not there (an install without them); the caller then serves the JSON index at /.
 */
export function registerLivePage(app: FastifyInstance, dir: string | undefined): boolean {
  if (dir === undefined) return false;
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const [name, type] of Object.entries(FILES)) {
    const path = join(dir, name);
    if (!existsSync(path)) return false;
    files.set(name, { type, body: readFileSync(path) });
  }
  for (const [name, file] of files) {
    const route = name === 'index.html' ? '/' : `/${name}`;
    app.get(route, async (_request, reply) =>
      reply
        .type(file.type)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', CSP)
        .header('referrer-policy', 'no-referrer')
        .send(file.body),
    );
  }
  return true;
}
