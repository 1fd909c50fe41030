import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { SCHEMA_VERSION, type ClassificationEvent } from '../../../src/events/classification.js';
import { alertHeaders, deadLetterRecord, DEAD_LETTER_HEADER } from '../../../src/kafka/headers.js';
import type { DeadLetter } from '../../../src/ports.js';
import type { RecordOrigin } from '../../../src/ports.js';

const event = {
  id: 'storm-abc-1',
  type: 'storm.started',
  key: 'acme-air',
  episodeId: 'storm-abc',
  sequence: 1,
  at: '2025-03-03T12:10:00.000Z',
  emittedAt: '2025-03-03T12:10:01.000Z',
  schemaVersion: SCHEMA_VERSION,
} as unknown as ClassificationEvent;

test('alert headers are CloudEvents 1.0 binary-mode attributes with the deterministic id', () => {
  assert.deepEqual(alertHeaders(event, '/stormwatch'), {
    ce_specversion: '1.0',
    ce_id: 'storm-abc-1',
    ce_source: '/stormwatch',
    ce_type: 'stormwatch.storm.started',
    ce_time: '2025-03-03T12:10:00.000Z',
    ce_subject: 'acme-air',
    'content-type': 'application/json',
    ce_schemaversion: SCHEMA_VERSION,
    ce_episodeid: 'storm-abc',
  });
});

function letter(value: DeadLetter['value'], origin: RecordOrigin, key?: Uint8Array): DeadLetter {
  return { reason: 'invalid_json', detail: 'Unexpected end of JSON input', value, origin, ...(key !== undefined ? { key } : {}), rejectedAt: '2025-03-03T12:00:00.000Z' };
}

test('a dead letter keeps key, bytes and source coordinates', () => {
  const origin: RecordOrigin = { source: 'kafka', topic: 'mentions', partition: 2, offset: '41', timestamp: '1741003200000' };
  const bytes = Buffer.from([0x7b, 0xff, 0x00]);
  const record = deadLetterRecord(letter(bytes, origin, Buffer.from('acme-air')), 1024);
  assert.equal(record.key?.toString(), 'acme-air');
  assert.ok(record.value?.equals(bytes));
  assert.deepEqual(record.headers, {
    [DEAD_LETTER_HEADER.reason]: 'invalid_json',
    [DEAD_LETTER_HEADER.detail]: 'Unexpected end of JSON input',
    [DEAD_LETTER_HEADER.rejectedAt]: '2025-03-03T12:00:00.000Z',
    [DEAD_LETTER_HEADER.source]: 'kafka',
    [DEAD_LETTER_HEADER.topic]: 'mentions',
    [DEAD_LETTER_HEADER.partition]: '2',
    [DEAD_LETTER_HEADER.offset]: '41',
    [DEAD_LETTER_HEADER.timestamp]: '1741003200000',
  });
});

test('null values stay null; text values become UTF-8 bytes; file origins carry the line', () => {
  assert.equal(deadLetterRecord(letter(null, { source: 'kafka' }), 1024).value, null);
  const fromFile = deadLetterRecord(letter('{"a":', { source: 'file', line: 7 }), 1024);
  assert.equal(fromFile.value?.toString(), '{"a":');
  assert.equal(fromFile.headers[DEAD_LETTER_HEADER.line], '7');
  assert.equal(fromFile.key, null);
});

test('values above the limit are truncated and marked with the original size and SHA-256', () => {
  const big = Buffer.alloc(5000, 0x61);
  const record = deadLetterRecord(letter(big, { source: 'kafka' }), 1024);
  assert.equal(record.value?.byteLength, 1024);
  assert.equal(record.headers[DEAD_LETTER_HEADER.truncated], 'true');
  assert.equal(record.headers[DEAD_LETTER_HEADER.originalBytes], '5000');
  assert.equal(record.headers[DEAD_LETTER_HEADER.sha256], createHash('sha256').update(big).digest('hex'));
});

test('long details are cut', () => {
  const record = deadLetterRecord({ ...letter(null, { source: 'kafka' }), detail: 'x'.repeat(5000) }, 1024);
  assert.ok(record.headers[DEAD_LETTER_HEADER.detail]!.length <= 1001);
});
