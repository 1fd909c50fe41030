/**
 * The one way NDJSON input is read, by the file source and by `stormwatch replay`: lines as
 * bytes, never decoded here, so every record reaches `parseMention` as bytes, exactly as a Kafka
 * record does (same size limit before decoding, same UTF-8 check, same reasons). Memory is bounded
 * by the limit: a longer line is cut to `maxLineBytes + 1` bytes (then rejected as too_large) and
 * the rest of it is skipped unread.
 */
export interface Line {
  readonly bytes: Buffer;
  /** 1-based. */
  readonly number: number;
}

/** Lines of a byte stream (a file, stdin), chunk by chunk; a trailing CR is dropped (CRLF files). */
export async function* readLines(input: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let partBytes = 0;
  let overflow = false;
  let number = 0;
  const take = (end: Buffer): Buffer => {
    const whole = parts.length === 0 ? end : Buffer.concat([...parts, end]);
    parts = [];
    partBytes = 0;
    overflow = false;
    const n = whole.length;
    return n > 0 && whole[n - 1] === 0x0d ? whole.subarray(0, n - 1) : whole;
  };
  for await (const data of input) {
    const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const piece = overflow ? chunk.subarray(start, start) : chunk.subarray(start, Math.min(nl, start + maxLineBytes + 1 - partBytes));
      number++;
      yield { bytes: take(piece), number };
      start = nl + 1;
    }
    if (start < chunk.length && !overflow) {
      const rest = chunk.subarray(start, Math.min(chunk.length, start + maxLineBytes + 1 - partBytes));
      parts.push(Buffer.from(rest));
      partBytes += rest.length;
      if (partBytes > maxLineBytes) overflow = true;
    }
  }
  if (partBytes > 0) {
    number++;
    yield { bytes: take(Buffer.alloc(0)), number };
  }
}

/** Empty or only spaces and tabs: skipped, not a record (editors leave them; they carry nothing). */
export function isBlankLine(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09) return false;
  return true;
}
