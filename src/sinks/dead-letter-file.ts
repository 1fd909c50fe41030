import { BoundedNdjsonFile, type NdjsonFileOptions } from '../files/ndjson-file.js';
import type { DeadLetter, DeadLetterSink } from '../ports.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One line of the dead-letter file. `value` is the record as text, or base64 when not UTF-8. */
export interface DeadLetterLine {
  reason: string;
  detail: string;
  origin: DeadLetter['origin'];
  rejectedAt: string;
  value?: string | null;
  valueBase64?: string;
}

export function deadLetterLine(letter: DeadLetter): string {
  const line: DeadLetterLine = { reason: letter.reason, detail: letter.detail, origin: letter.origin, rejectedAt: letter.rejectedAt };
  if (letter.value === null || typeof letter.value === 'string') line.value = letter.value;
  else {
    try {
      line.value = utf8.decode(letter.value);
    } catch {
      line.valueBase64 = Buffer.from(letter.value.buffer, letter.value.byteOffset, letter.value.byteLength).toString('base64');
    }
  }
  return JSON.stringify(line) + '\n';
}

export type DeadLetterFileOptions = NdjsonFileOptions;

/** Rejected input records in a bounded NDJSON file (embedded mode). */
export class DeadLetterFileSink extends BoundedNdjsonFile<DeadLetter> implements DeadLetterSink {
  readonly name = 'dead-letter-file';

  constructor(options: DeadLetterFileOptions) {
    super(options, deadLetterLine);
  }
}
