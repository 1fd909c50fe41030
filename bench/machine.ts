import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

/** What a benchmark figure was measured on: printed and written with every result. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  commit: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (dirty !== '') commit += '+dirty';
  } catch {
    // not a git checkout
  }
  const list = cpus();
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    commit,
    date: new Date().toISOString(),
  };
}

/**
 * Median items/s over `reps` timed passes (after one warm-up pass), single thread, per second of
 * the process's CPU time (user + system): on a shared machine, time spent waiting for a core is
 * not counted, so runs of one session compare.
 */
export function textsPerSecond<T>(texts: readonly T[], reps: number, run: (t: T) => unknown): number {
  const passes = Math.max(1, Math.ceil(20_000 / texts.length));
  const rates: number[] = [];
  let sink = 0;
  for (let r = 0; r <= reps; r++) {
    const t0 = process.cpuUsage();
    for (let k = 0; k < passes; k++) for (const t of texts) if (run(t) !== undefined) sink++;
    const used = process.cpuUsage(t0);
    if (r > 0) rates.push((passes * texts.length) / ((used.user + used.system) / 1e6));
  }
  if (sink < 0) console.log(sink);
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)] as number;
}
