// Child processes for integration tests: spawn a node script with its own env, keep its output
// lines, wait for a line matching a pattern, and stop it with a signal (SIGKILL after a deadline).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface NodeProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Every line so far, both streams, in arrival order. */
  readonly lines: OutputLine[];
  readonly stdout: string[];
  readonly stderr: string[];
  /** Settles when the process has exited. */
  readonly exited: Promise<ExitInfo>;
  /** Resolves with the first line (earlier or later) matching re; rejects on timeout or exit. */
  waitForLine(re: RegExp, timeoutMs: number): Promise<string>;
  /** Sends signal, waits for exit; SIGKILL when still running after timeoutMs. Idempotent. */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitInfo>;
  /** The last n lines, for assertion messages. */
  tail(n?: number): string;
}

export interface SpawnNodeOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  nodeArgs?: string[];
  /** Echo the child's lines to this process's stderr (also on when STORMWATCH_TEST_ECHO=1). */
  echo?: boolean;
}

export function spawnNode(script: string, args: ReadonlyArray<string> = [], options: SpawnNodeOptions = {}): NodeProcess {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`spawnNode: could not start ${script}`);
  const echo = options.echo ?? process.env.STORMWATCH_TEST_ECHO === '1';
  const lines: OutputLine[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const listeners = new Set<(l: OutputLine) => void>();

  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });

  for (const stream of ['stdout', 'stderr'] as const) {
    const rl = createInterface({ input: child[stream]!, crlfDelay: Infinity });
    rl.on('line', (line) => {
      const entry = { stream, line };
      lines.push(entry);
      (stream === 'stdout' ? stdout : stderr).push(line);
      if (echo) process.stderr.write(`[${child.pid} ${stream}] ${line}\n`);
      for (const l of listeners) l(entry);
    });
  }

  const tail = (n = 20): string => lines.slice(-n).map((l) => `${l.stream}: ${l.line}`).join('\n');

  function waitForLine(re: RegExp, timeoutMs: number): Promise<string> {
    const found = lines.find((l) => re.test(l.line));
    if (found) return Promise.resolve(found.line);
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (err: Error | null, line?: string): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        listeners.delete(onLine);
        if (err) reject(err);
        else resolve(line as string);
      };
      const onLine = (l: OutputLine): void => {
        if (re.test(l.line)) finish(null, l.line);
      };
      const timer = setTimeout(() => finish(new Error(`waitForLine ${re}: not seen within ${timeoutMs} ms; last lines:\n${tail()}`)), timeoutMs);
      listeners.add(onLine);
      void exited.then((info) => {
        // Let readline deliver the last buffered lines before giving up.
        setImmediate(() => finish(new Error(`waitForLine ${re}: process exited (code ${info.code}, signal ${info.signal}); last lines:\n${tail()}`)));
      });
    });
  }

  let killing: Promise<ExitInfo> | undefined;
  function kill(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<ExitInfo> {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    if (killing) return killing;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    killing = exited.finally(() => clearTimeout(timer));
    return killing;
  }

  return { child, pid: child.pid, lines, stdout, stderr, exited, waitForLine, kill, tail };
}

/**
 * The environment for the real service on its embedded simulator, on a free port, accelerated
 * `speedup` times, writing dead letters into `dir`: whatever Kafka or config file the caller's
 * environment names is left out, so the test sees the embedded default.
 */
export function embeddedServiceEnv(dir: string, speedup: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    STORMWATCH_SERVER_PORT: '0',
    STORMWATCH_SIMULATOR_SPEEDUP: String(speedup),
    STORMWATCH_TICK_INTERVAL_MS: '250',
    STORMWATCH_DEAD_LETTERS_PATH: `${dir}/dead-letters.ndjson`,
    ...extra,
  };
  delete env.PORT;
  delete env.STORMWATCH_CONFIG;
  delete env.STORMWATCH_KAFKA_BROKERS;
  return env;
}
