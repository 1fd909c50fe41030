import { createHash } from 'node:crypto';
import { SCHEMA_VERSION, type ClassificationEvent } from '../events/classification.js';
import type { DeadLetter } from '../ports.js';

/**
 * Record headers of the two output topics, pure. Alerts follow the CloudEvents 1.0 Kafka
 * protocol binding in binary mode (attributes as `ce_*` headers, the event as the value);
 * docs/alert-topic.md and docs/asyncapi.yaml describe them for consumers.
 */

export const CONTENT_TYPE_JSON = 'application/json';
export const CE_TYPE_PREFIX = 'stormwatch.';

/** The headers of one alert record. `ce_id` is the event's deterministic id: dedupe on it. */
export function alertHeaders(event: ClassificationEvent, source: string): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_source: source,
    ce_type: CE_TYPE_PREFIX + event.type,
    ce_time: event.at,
    ce_subject: event.key,
    'content-type': CONTENT_TYPE_JSON,
    // CloudEvents extension attributes (lower-case alphanumerics).
    ce_schemaversion: event.schemaVersion ?? SCHEMA_VERSION,
    ce_episodeid: event.episodeId,
  };
}

export const DEAD_LETTER_HEADER = {
  reason: 'stormwatch-reason',
  detail: 'stormwatch-detail',
  rejectedAt: 'stormwatch-rejected-at',
  source: 'stormwatch-source',
  topic: 'stormwatch-source-topic',
  partition: 'stormwatch-source-partition',
  offset: 'stormwatch-source-offset',
  line: 'stormwatch-source-line',
  timestamp: 'stormwatch-source-timestamp',
  truncated: 'stormwatch-truncated',
  originalBytes: 'stormwatch-original-bytes',
  sha256: 'stormwatch-original-sha256',
} as const;

const MAX_DETAIL_CHARS = 1000;

export interface DeadLetterRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

function bytesOf(value: Uint8Array | string | null): Buffer | null {
  if (value === null) return null;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * The dead-letter record of a rejected input record: its original key and bytes, and headers for
 * reason, detail and source coordinates. Values above `maxValueBytes` are cut to that many bytes
 * and marked (truncated, original size, SHA-256 of the whole value); the whole record stays in
 * the source topic at the given partition and offset until retention removes it.
 */
export function deadLetterRecord(letter: DeadLetter, maxValueBytes: number): DeadLetterRecord {
  const origin = letter.origin;
  const headers: Record<string, string> = {
    [DEAD_LETTER_HEADER.reason]: letter.reason,
    [DEAD_LETTER_HEADER.detail]: letter.detail.length > MAX_DETAIL_CHARS ? letter.detail.slice(0, MAX_DETAIL_CHARS) + '…' : letter.detail,
    [DEAD_LETTER_HEADER.rejectedAt]: letter.rejectedAt,
    [DEAD_LETTER_HEADER.source]: origin.source,
  };
  if (origin.topic !== undefined) headers[DEAD_LETTER_HEADER.topic] = origin.topic;
  if (origin.partition !== undefined) headers[DEAD_LETTER_HEADER.partition] = String(origin.partition);
  if (origin.offset !== undefined) headers[DEAD_LETTER_HEADER.offset] = origin.offset;
  if (origin.line !== undefined) headers[DEAD_LETTER_HEADER.line] = String(origin.line);
  if (origin.timestamp !== undefined) headers[DEAD_LETTER_HEADER.timestamp] = origin.timestamp;
  let value = bytesOf(letter.value);
  if (value !== null && value.byteLength > maxValueBytes) {
    headers[DEAD_LETTER_HEADER.truncated] = 'true';
    headers[DEAD_LETTER_HEADER.originalBytes] = String(value.byteLength);
    headers[DEAD_LETTER_HEADER.sha256] = createHash('sha256').update(value).digest('hex');
    value = value.subarray(0, maxValueBytes);
  }
  return { key: letter.key === undefined || letter.key === null ? null : bytesOf(letter.key), value, headers };
}
