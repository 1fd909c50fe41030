#!/usr/bin/env node
// Fails when pure detection code imports I/O: detect/ may import only detect/, events/ and
// pure libraries. Runs in `npm test` (pretest) so the rule cannot rot.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pureDir = join(root, 'src', 'detect');
const allowedPackages = new Set(['simple-statistics', 'sentiment', '@sinclair/typebox']);
const forbiddenLocal = /\/(sources|sinks|server|cli)\//;
const forbiddenNode = /^node:(?!assert)/;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

const problems = [];
for (const file of files(pureDir)) {
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = match[1] ?? match[2];
    const where = relative(root, file);
    if (spec.startsWith('.')) {
      const target = join(file, '..', spec);
      if (forbiddenLocal.test(target + '/') && !target.startsWith(pureDir)) problems.push(`${where}: imports ${spec} (I/O layer)`);
      if (!target.startsWith(pureDir) && !target.startsWith(join(root, 'src', 'events'))) problems.push(`${where}: imports ${spec} outside detect/ and events/`);
    } else if (forbiddenNode.test(spec) || spec.startsWith('node:') === false && ![...allowedPackages].some((p) => spec === p || spec.startsWith(p + '/'))) {
      problems.push(`${where}: imports package ${spec}, not allowed in pure detection code`);
    }
  }
  if (/\bDate\.now\(|new Date\(\)|performance\.now\(/.test(source)) problems.push(`${relative(root, file)}: reads the wall clock; pass time in`);
}
if (problems.length > 0) {
  console.error('Layering check failed:\n' + problems.map((p) => '  ' + p).join('\n'));
  process.exit(1);
}
console.log('layering ok: detect/ imports no I/O and reads no clock');
