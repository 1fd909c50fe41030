#!/usr/bin/env node
import { ConfigError } from '../config/schema.js';
import { runReplayCommand } from './replay-command.js';
import { runSentimentCommand } from './sentiment-command.js';

const USAGE = `usage: stormwatch <command>

commands:
  replay <file.ndjson|-> [--out <file>]   run mentions through the engine, write classification events as NDJSON
  sentiment [--lang <code>]               score one text per line from stdin, one JSON line per text
  serve                                   run the service (same as npm start)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'replay':
      return runReplayCommand(rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    case 'sentiment':
      return runSentimentCommand(rest, process.stdin, process.stdout);
    case 'serve': {
      await import('../main.js');
      return -1; // the service keeps running and exits on its own signals
    }
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command: ${command}\n${USAGE}\n`);
      return 2;
  }
}

try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
} catch (error) {
  // A bad configuration is the user's to fix: say what is wrong, without a stack trace.
  if (error instanceof ConfigError) {
    process.stderr.write(`stormwatch: ${error.message}\n`);
    process.exitCode = 2;
  } else throw error;
}
