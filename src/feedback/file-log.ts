import { readFile } from 'node:fs/promises';
import { isFeedback, type Feedback } from '../events/feedback.js';
import type { Logger } from '../logging.js';
import { BoundedNdjsonFile } from '../files/ndjson-file.js';
import type { FeedbackLog } from './store.js';

/**
 * Feedback in embedded mode: an NDJSON file (at most two, `path` and `path.1`, of `maxBytes` each),
 * read back at start. The oldest feedback rotates out with `path.1`.
 */
export class FileFeedbackLog implements FeedbackLog {
  readonly name = 'feedback-file';
  private readonly file: BoundedNdjsonFile<Feedback>;
  private apply: ((record: Feedback) => void) | undefined;

  constructor(
    private readonly options: { path: string; maxBytes: number; logger: Logger },
  ) {
    this.file = new BoundedNdjsonFile<Feedback>(
      { path: options.path, maxBytes: options.maxBytes, onDrop: (count, why, error) => options.logger.error({ err: error, count, why, path: options.path }, 'feedback not written') },
      (record) => JSON.stringify(record) + '\n',
    );
  }

  async start(apply: (record: Feedback) => void): Promise<void> {
    let bad = 0;
    for (const path of [`${this.options.path}.1`, this.options.path]) {
      const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return '';
        throw error;
      });
      for (const line of text.split('\n')) {
        if (line === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          value = undefined;
        }
        if (isFeedback(value)) apply(value);
        else bad++;
      }
    }
    if (bad > 0) this.options.logger.warn({ path: this.options.path, lines: bad }, 'feedback lines that are not feedback were skipped');
    this.apply = apply;
    await this.file.ready();
  }

  async append(record: Feedback): Promise<void> {
    await this.file.write([record]);
    this.apply?.(record);
  }

  isReady(): boolean {
    return this.apply !== undefined && this.file.isReady();
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
