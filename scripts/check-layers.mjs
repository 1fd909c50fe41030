#!/usr/bin/env node
// The layer rule of src/ (ARCHITECTURE.md), checked in `npm test` (pretest) so it cannot rot.
// A module may import a lower layer, or its own part; parts of one layer do not import each other
// (the core excepted: it is one part). Bare `import 'x'`, `export … from` and `import()` count.
// Pure parts (detect/, the simulator, the websocket protocol) import no I/O; detect/ reads no clock.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');

/** Parts by path under src/, most specific first; `layer` rises from the shared utilities to the composition roots. */
const parts = [
  { part: 'util', paths: ['util/'], layer: 0, pure: true },
  { part: 'events', paths: ['events/'], layer: 1, pure: true },
  { part: 'detect', paths: ['detect/'], layer: 2, pure: true, noClock: true },
  { part: 'simulator', paths: ['sources/simulator/'], layer: 2, pure: true },
  { part: 'protocol', paths: ['server/protocol/'], layer: 2, pure: true },
  {
    part: 'core',
    paths: ['config/', 'episodes/', 'feedback/store.ts', 'acknowledgements.ts', 'logging.ts', 'metrics/', 'pipeline.ts', 'ports.ts', 'publisher.ts', 'redelivery.ts', 'service.ts'],
    layer: 3,
  },
  { part: 'kafka', paths: ['kafka/'], layer: 4 },
  { part: 'files', paths: ['files/'], layer: 4 },
  { part: 'sources', paths: ['sources/'], layer: 5 },
  { part: 'sinks', paths: ['sinks/'], layer: 5 },
  { part: 'server', paths: ['server/'], layer: 5 },
  { part: 'state', paths: ['state/'], layer: 5 },
  { part: 'feedback', paths: ['feedback/'], layer: 5 },
  // The composition roots: the service (main.ts) and the command line (whose `serve` runs main.ts).
  { part: 'entry', paths: ['main.ts', 'cli/'], layer: 6 },
];

/** Packages pure parts may use: schemas, the sentiment word list. Node built-ins without I/O too. */
const purePackages = ['@sinclair/typebox', 'sentiment', 'simple-statistics'];
const pureNode = new Set(['node:assert', 'node:crypto', 'node:net']);

function partOf(path) {
  const rel = relative(src, path);
  // Longest matching path wins (sources/simulator/ before sources/).
  let best;
  for (const p of parts) for (const prefix of p.paths) if ((rel === prefix || rel.startsWith(prefix)) && (best === undefined || prefix.length > best.length)) best = { prefix, p };
  return best?.p;
}

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

const specifiers = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

const problems = [];
let checked = 0;
for (const file of files(src)) {
  checked++;
  const where = relative(root, file);
  const from = partOf(file);
  if (from === undefined) {
    problems.push(`${where}: in no layer (add its folder to scripts/check-layers.mjs and ARCHITECTURE.md)`);
    continue;
  }
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(specifiers)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (spec.startsWith('.')) {
      const target = join(file, '..', spec).replace(/\.js$/, '.ts');
      const to = partOf(target);
      if (to === undefined) problems.push(`${where}: imports ${spec}, which is in no layer`);
      else if (to !== from && (to.layer > from.layer || (to.layer === from.layer && from.part !== 'core'))) {
        problems.push(`${where}: imports ${spec} (${from.part}, layer ${from.layer} → ${to.part}, layer ${to.layer})`);
      }
    } else if (from.pure) {
      const allowed = spec.startsWith('node:') ? pureNode.has(spec) : purePackages.some((p) => spec === p || spec.startsWith(p + '/'));
      if (!allowed) problems.push(`${where}: imports ${spec}; ${from.part}/ is pure (no I/O)`);
    }
  }
  if (from.noClock && /\bDate\.now\(|new Date\(\)|performance\.now\(/.test(source)) problems.push(`${where}: reads the wall clock; pass time in`);
}
if (problems.length > 0) {
  console.error('Layering check failed:\n' + problems.map((p) => '  ' + p).join('\n'));
  process.exit(1);
}
console.log(`layering ok: ${checked} modules in ${parts.length} parts; each imports only lower layers or itself; pure parts do no I/O; detect/ reads no clock`);
