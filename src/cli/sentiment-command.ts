import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createSentimentScorer } from '../detect/sentiment/scorer.js';

const USAGE = 'usage: stormwatch sentiment [--lang <code>]   (one text per line on stdin → one JSON line per text)';

/**
 * `stormwatch sentiment [--lang <code>]`: reads one text per line from `input` and writes, in
 * order, one JSON line `{"score":…,"label":"negative|neutral|positive"}` per text to `output`.
 * Returns the exit code: 0 on success, 2 on a usage error.
 */
export async function runSentimentCommand(
  argv: string[],
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  errors: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  let lang: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--lang' && argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith('--')) {
      lang = argv[++i];
    } else if (arg !== undefined && arg.startsWith('--lang=')) {
      lang = arg.slice('--lang='.length);
    } else if (arg === '-h' || arg === '--help') {
      output.write(USAGE + '\n');
      return 0;
    } else {
      errors.write(`stormwatch sentiment: unexpected argument ${arg ?? ''}\n${USAGE}\n`);
      return 2;
    }
  }
  const scorer = createSentimentScorer();
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  for await (const line of lines) {
    const { score, label } = scorer.score(line, lang);
    const ok = output.write(`{"score":${Math.round(score * 1e4) / 1e4},"label":"${label}"}\n`);
    if (!ok) await once(output, 'drain');
  }
  return 0;
}
