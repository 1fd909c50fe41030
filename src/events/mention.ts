import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';

/**
 * Counts (followers, likes, shares, replies) are whole numbers up to 10^12, above any real
 * account or post: the engagement weights stay finite (1e308 likes made them Infinity, and the
 * published events carried null), and sums of many of them stay exact.
 */
export const MAX_COUNT = 1e12;
const Count = (description: string) => Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_COUNT, description }));

/**
 * A key is printable text: no control characters (C0, DEL, C1) or line separators anywhere, no
 * white space at either end (so never only white space). Inner spaces are fine ("Virgin America").
 * Without the `u` flag, so the exported JSON Schema means the same in every validator.
 */
export const KEY_PATTERN = '^[^\\s\\x00-\\x1f\\x7f-\\x9f](?:[^\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]*[^\\s\\x00-\\x1f\\x7f-\\x9f])?$';

/**
 * A social mention as it arrives on the mentions topic. One schema gives both the runtime
 * validator and the TypeScript type. Unknown fields are allowed (producers add their own) but
 * never copied into the engine.
 */
export const MentionSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 512 }),
    key: Type.String({ minLength: 1, maxLength: 256, pattern: KEY_PATTERN, description: 'brand key: printable, no control characters, no white space at either end' }),
    text: Type.String({ maxLength: 20_000 }),
    ts: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Number()], {
      description: 'epoch milliseconds (number or digits), or an ISO 8601 date-time with Z or ±HH:MM; no zone-less times, calendar-valid',
    }),
    author: Type.Optional(
      Type.Object({
        id: Type.String({ minLength: 1, maxLength: 256 }),
        followers: Count('followers of the author'),
        verified: Type.Optional(Type.Boolean()),
      }),
    ),
    engagement: Type.Optional(
      Type.Object({
        likes: Count('likes of the post'),
        shares: Count('shares (reposts, retweets) of the post'),
        replies: Count('replies to the post'),
      }),
    ),
    lang: Type.Optional(Type.String({ maxLength: 35 })),
    platform: Type.Optional(Type.String({ maxLength: 64 })),
    url: Type.Optional(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: true },
);

/** The mention as producers send it. */
export type MentionInput = Static<typeof MentionSchema>;

/** The mention as the engine sees it: timestamp resolved to epoch milliseconds. */
export interface Mention {
  readonly id: string;
  readonly key: string;
  readonly text: string;
  readonly tsMs: number;
  readonly authorId: string | undefined;
  /** Followers of the author; undefined when the producer does not know (never taken as 0). */
  readonly followers: number | undefined;
  readonly verified: boolean;
  readonly likes: number;
  readonly shares: number;
  readonly replies: number;
  readonly lang: string | undefined;
  readonly platform: string | undefined;
  readonly url: string | undefined;
}

/** Why an input record was rejected. A closed set: it labels metrics and dead-letter headers. */
export const rejectReasons = [
  'empty',
  'too_large',
  'bad_encoding',
  'invalid_json',
  'not_an_object',
  'missing_field',
  'bad_type',
  'bad_timestamp',
  // Not the record's fault: detection.maxKeys keys are tracked and every one is in an episode.
  'key_limit',
] as const;
export type RejectReason = (typeof rejectReasons)[number];

export type ParseResult =
  | { readonly ok: true; readonly mention: Mention }
  | { readonly ok: false; readonly reason: RejectReason; readonly detail: string };

export interface ParseOptions {
  /** Records larger than this are rejected before decoding. */
  readonly maxBytes: number;
  /** Wall-clock "now" for the plausibility window; omit in replay, where only absolute bounds apply. */
  readonly nowMs?: number | undefined;
  /** How far ahead of `nowMs` a timestamp may be (clock skew). */
  readonly maxFutureMs: number;
  /** How far behind `nowMs` a timestamp may be before it is not a live mention any more. */
  readonly maxPastMs: number;
}

// Absolute sanity bounds for event time, used with or without a wall clock.
const EARLIEST_TS_MS = Date.UTC(2000, 0, 1);
const LATEST_TS_MS = Date.UTC(2100, 0, 1);

const checker = TypeCompiler.Compile(MentionSchema);
// fatal: invalid UTF-8 is bad_encoding, never U+FFFD. A leading BOM is dropped (ignoreBOM false).
const utf8 = new TextDecoder('utf-8', { fatal: true });

function reject(reason: RejectReason, detail: string): ParseResult {
  return { ok: false, reason, detail };
}

/**
 * Parses epoch milliseconds (a number, or 9-15 digits) or an ISO 8601 / RFC 3339 date-time with
 * an explicit zone (`Z` or `±HH:MM`); NaN for anything else. Strict on the calendar: no 30th of
 * February, no hour 24, no second 60, no zone-less time (that would be read in the host's zone).
 */
export function parseTimestamp(ts: string | number): number {
  if (typeof ts === 'number') return Number.isFinite(ts) ? ts : Number.NaN;
  const fast = parseCommonIso(ts);
  return fast === fast ? fast : parseTimestampGeneric(ts);
}

/** Value of two ASCII digits at `i`, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch ms of a UTC calendar time, NaN unless every field is in its range (the day in its month). */
function calendarUtc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  if (day > (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return Number.NaN;
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not (and the day is valid in `year`).
  return new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms)).setUTCFullYear(year);
}

/**
 * The shape nearly every producer sends, `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ`,
 * without regular expressions; NaN for anything else (then the generic parser decides, and
 * gives the same answer for these shapes: the tests check it).
 */
function parseCommonIso(s: string): number {
  const n = s.length;
  if (n !== 20 && n !== 24) return Number.NaN;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) {
    return Number.NaN;
  }
  const hi = twoDigits(s, 0);
  const lo = twoDigits(s, 2);
  if (hi < 0 || lo < 0) return Number.NaN;
  let ms = 0;
  if (n === 24) {
    if (s.charCodeAt(19) !== 46) return Number.NaN;
    const tens = twoDigits(s, 20);
    const units = s.charCodeAt(22) - 48;
    if (tens < 0 || units < 0 || units > 9) return Number.NaN;
    ms = tens * 10 + units;
  }
  return calendarUtc(hi * 100 + lo, twoDigits(s, 5), twoDigits(s, 8), twoDigits(s, 11), twoDigits(s, 14), twoDigits(s, 17), ms);
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** The general timestamp parser: epoch ms as digits, or any ISO 8601 date-time with a zone. */
export function parseTimestampGeneric(ts: string): number {
  // Digits only: epoch milliseconds sent as a string.
  if (/^\d{9,15}$/.test(ts)) return Number(ts);
  const m = ISO_DATE_TIME.exec(ts);
  if (m === null) return Number.NaN;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const hours = Number(m[10]);
    const minutes = Number(m[11]);
    if (hours > 23 || minutes > 59) return Number.NaN;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  // Fractions finer than a millisecond are cut, as Date.parse does.
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const utc = calendarUtc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms);
  return utc - offsetMinutes * 60_000;
}

function firstSchemaError(value: unknown): ParseResult {
  const error = checker.Errors(value).First();
  if (error === undefined) return reject('bad_type', 'schema rejected the record');
  const field = error.path === '' ? '(root)' : error.path;
  // TypeBox reports a missing required property as an ObjectRequiredProperty error on its path.
  if (error.type === ValueErrorType.ObjectRequiredProperty) {
    return reject('missing_field', `missing ${field}`);
  }
  // The key pattern in words rather than as a regular expression.
  if (error.type === ValueErrorType.StringPattern && error.path === '/key') return reject('bad_type', '/key: control characters, line separators or white space at an end');
  return reject('bad_type', `${field}: ${error.message}`);
}

/** Turns a validated input into the engine's shape. */
export function toMention(input: MentionInput, tsMs: number): Mention {
  return {
    id: input.id,
    key: input.key,
    text: input.text,
    tsMs,
    authorId: input.author?.id,
    followers: input.author?.followers,
    verified: input.author?.verified ?? false,
    likes: input.engagement?.likes ?? 0,
    shares: input.engagement?.shares ?? 0,
    replies: input.engagement?.replies ?? 0,
    lang: input.lang,
    platform: input.platform,
    url: input.url,
  };
}

/** Validates a decoded value (already JSON-parsed). Never throws. */
export function validateMention(value: unknown, options: ParseOptions): ParseResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return reject('not_an_object', `expected a JSON object, got ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}`);
  }
  if (!checker.Check(value)) return firstSchemaError(value);
  const tsMs = parseTimestamp(value.ts);
  if (Number.isNaN(tsMs)) return reject('bad_timestamp', `ts ${JSON.stringify(value.ts).slice(0, 80)} is neither epoch ms nor a calendar-valid ISO 8601 date-time with a zone`);
  if (tsMs < EARLIEST_TS_MS || tsMs >= LATEST_TS_MS) {
    return reject('bad_timestamp', `ts ${new Date(tsMs).toISOString()} outside 2000..2100`);
  }
  if (options.nowMs !== undefined) {
    if (tsMs > options.nowMs + options.maxFutureMs) {
      return reject('bad_timestamp', `ts ${new Date(tsMs).toISOString()} is in the future`);
    }
    if (tsMs < options.nowMs - options.maxPastMs) {
      return reject('bad_timestamp', `ts ${new Date(tsMs).toISOString()} is too far in the past`);
    }
  }
  return { ok: true, mention: toMention(value, tsMs) };
}

/**
 * Parses one raw record (bytes from Kafka, a line from a file). Never throws: every failure is a
 * reason from `rejectReasons` with a short human detail.
 */
export function parseMention(raw: Uint8Array | string | null | undefined, options: ParseOptions): ParseResult {
  if (raw === null || raw === undefined || raw.length === 0) return reject('empty', 'empty record');
  let text: string;
  if (typeof raw === 'string') {
    // A JS string's length is in UTF-16 units, at most 3 bytes each in UTF-8: check cheaply first.
    if (raw.length * 3 > options.maxBytes && Buffer.byteLength(raw, 'utf8') > options.maxBytes) {
      return reject('too_large', `record of ${Buffer.byteLength(raw, 'utf8')} bytes exceeds ${options.maxBytes}`);
    }
    if (!raw.isWellFormed()) return reject('bad_encoding', 'record contains a lone surrogate');
    // As the UTF-8 decoder of the byte path does: a leading byte-order mark is not content.
    text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  } else {
    if (raw.length > options.maxBytes) return reject('too_large', `record of ${raw.length} bytes exceeds ${options.maxBytes}`);
    try {
      text = utf8.decode(raw);
    } catch {
      return reject('bad_encoding', 'record is not valid UTF-8');
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return reject('invalid_json', (error as Error).message.slice(0, 160));
  }
  return validateMention(value, options);
}
