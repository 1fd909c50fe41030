import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SCHEMA_VERSION } from '../../../src/events/classification.js';
import { schemaFiles } from '../../../src/kafka/event-schema.js';

const docs = new URL('../../../../docs/', import.meta.url);

test('docs/schema/*.json are generated from the current schemas (npm run build; node scripts/write-event-schema.mjs)', () => {
  for (const [name, text] of Object.entries(schemaFiles())) {
    assert.equal(readFileSync(new URL(`schema/${name}`, docs), 'utf8'), text, `docs/schema/${name} is stale`);
  }
});

test('docs/asyncapi.yaml refers to the generated schemas and names the current schema version', () => {
  const asyncapi = readFileSync(new URL('asyncapi.yaml', docs), 'utf8');
  for (const name of Object.keys(schemaFiles())) assert.ok(asyncapi.includes(`$ref: './schema/${name}'`), `asyncapi.yaml refers to ${name}`);
  assert.ok(asyncapi.includes(`version: '${SCHEMA_VERSION}'`), `asyncapi.yaml info.version is ${SCHEMA_VERSION}`);
});
