import { createReadStream, createWriteStream, openSync } from 'node:fs';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config/load.js';
import type { EngineStats } from '../detect/engine.js';
import { createSentimentScorer } from '../detect/sentiment/scorer.js';
import type { ClassificationEvent } from '../events/classification.js';
import type { RejectReason } from '../events/mention.js';
import { createPipeline } from '../pipeline.js';
import { isBlankLine, readLines } from '../sources/lines.js';

const USAGE = 'usage: stormwatch replay <file.ndjson|-> [--out <file>]';

interface ReplayStreams {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Buffers NDJSON lines and writes them in large chunks, waiting when the stream is full. */
class LineWriter {
  private buffer: string[] = [];
  private size = 0;
  constructor(private readonly stream: NodeJS.WritableStream) {}

  push(line: string): void {
    this.buffer.push(line);
    this.size += line.length;
  }

  get pending(): number {
    return this.size;
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}

/**
 * `stormwatch replay`: runs mentions through the engine in event time as fast as it can and
 * writes classification events as NDJSON. Deterministic: the same input gives byte-identical
 * output. Lines are read as bytes with the service's limit (`input.maxBytes`) and parsed as the
 * service parses a Kafka record or a file line (src/sources/lines.ts). Bad lines go to stderr with
 * their line number and reason and never stop the run. The summary line is always printed, also
 * when the input cannot be read to its end (exit 1).
 */
export async function runReplayCommand(argv: string[], streams: ReplayStreams): Promise<number> {
  const args = parseReplayArgs(argv, streams);
  if (typeof args === 'number') return args;
  const config = loadConfig();
  let out = streams.stdout;
  if (args.outPath !== undefined) {
    // Opened now, so an unwritable --out fails before the run rather than as an unhandled stream error.
    try {
      out = createWriteStream(args.outPath, { fd: openSync(args.outPath, 'w') });
    } catch (error) {
      streams.stderr.write(`replay: cannot write ${args.outPath}: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const writer = new LineWriter(out);
  const errors = new LineWriter(streams.stderr);
  const tally: ReplayTally = { rejected: new Map(), lineNumber: 0, events: 0, late: 0 };
  const pipeline = createPipeline(config, createSentimentScorer(), {
    onEvent: (event: ClassificationEvent) => {
      tally.events++;
      writer.push(JSON.stringify(event));
    },
    onReject: (reason, detail) => {
      tally.rejected.set(reason, (tally.rejected.get(reason) ?? 0) + 1);
      errors.push(`line ${tally.lineNumber}: ${reason}: ${detail}`);
    },
    onLate: () => {
      tally.late++;
    },
  });

  const source = (args.input === '-' ? streams.stdin : createReadStream(args.input)) as AsyncIterable<Buffer | string>;
  const started = performance.now();
  let readError: Error | undefined;
  try {
    for await (const line of readLines(source, config.input.maxBytes)) {
      tally.lineNumber = line.number;
      if (isBlankLine(line.bytes)) continue;
      pipeline.handleRecord(line.bytes);
      if (writer.pending > 1 << 16) await writer.flush();
      if (errors.pending > 1 << 14) await errors.flush();
    }
  } catch (error) {
    readError = error as Error;
  }
  pipeline.finish();
  await writer.flush();
  await errors.flush();
  if (out !== streams.stdout) {
    (out as NodeJS.WritableStream & { end(cb: () => void): void }).end(() => undefined);
    await once(out, 'finish');
  }
  if (readError !== undefined) streams.stderr.write(`replay: cannot read ${args.input} after line ${tally.lineNumber}: ${readError.message}\n`);
  streams.stderr.write(summaryLine(tally, pipeline.engine.stats(), (performance.now() - started) / 1000, readError !== undefined));
  return readError === undefined ? 0 : 1;
}

interface ReplayTally {
  rejected: Map<RejectReason, number>;
  lineNumber: number;
  events: number;
  late: number;
}

/** The input and --out, or the exit code once usage is printed. */
function parseReplayArgs(argv: string[], streams: ReplayStreams): { input: string; outPath: string | undefined } | number {
  let input: string | undefined;
  let outPath: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--out') outPath = argv[++i];
    else if (arg === '-h' || arg === '--help') {
      streams.stdout.write(USAGE + '\n');
      return 0;
    } else if (input === undefined) input = arg;
    else {
      streams.stderr.write(`${USAGE}\nunexpected argument: ${arg}\n`);
      return 2;
    }
  }
  if (input === undefined || (outPath !== undefined && outPath === '')) {
    streams.stderr.write(USAGE + '\n');
    return 2;
  }
  return { input, outPath };
}

function summaryLine(tally: ReplayTally, stats: EngineStats, seconds: number, cutShort: boolean): string {
  const rejectedTotal = [...tally.rejected.values()].reduce((a, b) => a + b, 0);
  const reasons = [...tally.rejected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([r, n]) => `${r} ${n}`).join(', ');
  return (
    `replay: ${tally.lineNumber} lines${cutShort ? ' (input not read to its end)' : ''}, ${stats.accepted} accepted, ${rejectedTotal} rejected${reasons ? ` (${reasons})` : ''}, ` +
    `${tally.late} late, ${tally.events} events, ${stats.keysTracked} keys, ${seconds.toFixed(2)} s, ` +
    `${Math.round((stats.accepted + rejectedTotal + tally.late) / Math.max(seconds, 1e-9)).toLocaleString('en-US')} mentions/s\n`
  );
}
