#!/usr/bin/env node
// Regenerates config/default.json from the config schemas' defaults (run after `npm run build`).
// A unit test fails when the committed file and the schemas disagree.
import { writeFileSync } from 'node:fs';
import { schemaDefaults } from '../dist/src/config/load.js';

const path = new URL('../config/default.json', import.meta.url);
writeFileSync(path, JSON.stringify(schemaDefaults(), null, 2) + '\n');
console.log(`wrote ${path.pathname}`);
