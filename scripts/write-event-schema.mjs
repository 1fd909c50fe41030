#!/usr/bin/env node
// Regenerates docs/schema/*.json (alert and mention payloads) from the TypeBox schemas; run after
// `npm run build`. A unit test (tests/unit/kafka/event-schema.test.ts) fails when they are stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { schemaFiles } from '../dist/src/kafka/event-schema.js';

const dir = new URL('../docs/schema/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(schemaFiles())) {
  writeFileSync(new URL(name, dir), text);
  console.log(`wrote ${new URL(name, dir).pathname}`);
}
