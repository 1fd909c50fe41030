import { mkdir, open, rename, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface NdjsonFileOptions {
  path: string;
  /** The file rotates to `<path>.1` (replacing an older one) before it would pass this size. */
  maxBytes: number;
  /** Called for each letter that could not be kept, with why. */
  onDrop?: (count: number, why: 'too_large' | 'write_failed', error?: Error) => void;
}

/**
 * Records as NDJSON in a bounded file: at most two files (`path` and `path.1`) of at most
 * `maxBytes` each. A record larger than the cap, or one whose write fails, is dropped and
 * reported through `onDrop`; nothing here throws into the pipeline.
 */
export class BoundedNdjsonFile<T> {
  private handle: FileHandle | undefined;
  private size = 0;
  private readonly opening: Promise<void>;
  private chain: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private failed: Error | undefined;
  written = 0;
  dropped = 0;

  constructor(
    private readonly options: NdjsonFileOptions,
    private readonly line: (item: T) => string,
  ) {
    this.opening = this.openFile().catch((error: Error) => {
      this.failed = error;
    });
  }

  /** Resolves once the file is open (or failed to open: see `isReady`). */
  ready(): Promise<void> {
    return this.opening;
  }

  private async openFile(): Promise<void> {
    await mkdir(dirname(this.options.path), { recursive: true });
    this.handle = await open(this.options.path, 'a');
    this.size = (await stat(this.options.path)).size;
  }

  write(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    const next = this.chain.then(() => this.writeNow(items));
    this.chain = next;
    return next;
  }

  private async writeNow(items: readonly T[]): Promise<void> {
    await this.opening;
    if (this.handle === undefined) {
      this.drop(items.length, 'write_failed', this.failed ?? new Error(`${this.options.path} is closed`));
      return;
    }
    let chunk = '';
    for (let i = 0; i < items.length; i++) {
      const line = this.line(items[i]!);
      const bytes = Buffer.byteLength(line);
      if (bytes > this.options.maxBytes) {
        this.drop(1, 'too_large');
        continue;
      }
      if (this.size + Buffer.byteLength(chunk) + bytes > this.options.maxBytes) {
        const flushed = await this.flushChunk(chunk);
        chunk = '';
        if (!flushed || !(await this.rotate())) {
          this.drop(items.length - i, 'write_failed', this.failed);
          return;
        }
      }
      chunk += line;
    }
    await this.flushChunk(chunk);
  }

  private async flushChunk(chunk: string): Promise<boolean> {
    if (chunk === '' || this.handle === undefined) return true;
    const lines = countLines(chunk);
    try {
      const { bytesWritten } = await this.handle.write(chunk);
      this.size += bytesWritten;
      this.written += lines;
      return true;
    } catch (error) {
      this.drop(lines, 'write_failed', error as Error);
      return false;
    }
  }

  private async rotate(): Promise<boolean> {
    try {
      await this.handle?.close();
      await rename(this.options.path, this.options.path + '.1');
      this.handle = await open(this.options.path, 'a');
      this.size = 0;
      return true;
    } catch (error) {
      this.failed = error as Error;
      this.handle = undefined;
      return false;
    }
  }

  private drop(count: number, why: 'too_large' | 'write_failed', error?: Error): void {
    this.dropped += count;
    this.options.onDrop?.(count, why, error);
  }

  isReady(): boolean {
    return this.handle !== undefined && this.closing === undefined;
  }

  /** Waits for pending writes, then closes the file. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.chain.catch(() => undefined);
      await this.opening;
      const handle = this.handle;
      this.handle = undefined;
      await handle?.close();
    })();
    return this.closing;
  }
}

function countLines(chunk: string): number {
  let n = 0;
  for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) n++;
  return n;
}
