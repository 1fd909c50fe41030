import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { spawnNode, type NodeProcess } from '../support/processes.js';
import { dashboardExpressions, documentedMetrics, metricSelectors, repoFile, substituteVariables } from '../support/ops.js';
import { waitFor } from '../support/until.js';

// A real Prometheus scrapes a real stormwatch (embedded simulator, accelerated, one long storm) every
// second with the project's rule files. After the storm starts, every PromQL expression of the
// Grafana dashboard and of the rules must parse and return data, the StormActive alert must fire
// (and nothing else), and the real /metrics output must pass `promtool check metrics` and agree
// with docs/metrics.md.

const HOUR = 3_600_000;
const SPEEDUP = 720; // event-time ms per wall ms: the 4 h warm-up takes 20 s
const WARMUP_MS = 4 * HOUR; // ≥ detection.learningMs (3 h): baselines exist before the storm
const STORM_KEY = 'acme-air';
const ALLOW_LIST = [STORM_KEY, 'northwind-bank'];
const KAFKA_ONLY = /^stormwatch_(kafka|state)_/; // series only the Kafka source exposes (its adapter, its keyed state)
const TEST_TIMEOUT_MS = 4 * 60_000;

function hasBinary(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface PromResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
  errorType?: string;
}
interface SeriesResult {
  resultType: string;
  result: { metric: Record<string, string>; values?: [number, string][]; value?: [number, string] }[];
}
interface RulesData {
  groups: { name: string; rules: { name: string; query: string; type: string; health: string; lastError?: string; lastEvaluation: string }[] }[];
}
interface AlertsData {
  alerts: { labels: Record<string, string>; state: string; value: string }[];
}

/** A Prometheus child process with its output kept for failure messages. */
function startPrometheus(args: string[]): { child: ChildProcess; output: string[] } {
  const child = spawn('prometheus', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    output.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

test('a real Prometheus: every dashboard and rule expression returns data, StormActive fires', { timeout: TEST_TIMEOUT_MS }, async (t: TestContext) => {
  if (!hasBinary('prometheus') || !hasBinary('promtool')) {
    const message = 'prometheus/promtool not installed (apt-get install prometheus): the real-Prometheus test is SKIPPED';
    if (process.env.CI === 'true') assert.fail(`${message}; under CI=true this is a failure (.ci/run installs it)`);
    console.warn(`\n!!! ${message} !!!\n`);
    t.skip(message);
    return;
  }
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const dir = mkdtempSync(join(tmpdir(), 'stormwatch-prom-'));
  let stormwatch: NodeProcess | undefined;
  let prometheus: { child: ChildProcess; output: string[] } | undefined;
  t.after(async () => {
    if (prometheus) await stopChild(prometheus.child);
    if (stormwatch) await stormwatch.kill('SIGTERM', 10_000);
    rmSync(dir, { recursive: true, force: true });
  });

  // stormwatch: the default brands, one long storm on STORM_KEY as early as the warm-up allows.
  const appPort = await freePort();
  const configPath = join(dir, 'stormwatch.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      simulator: {
        speedup: SPEEDUP,
        warmupMs: WARMUP_MS,
        incidents: [{ kind: 'storm', key: STORM_KEY, startOffsetMs: WARMUP_MS, durationMs: 48 * HOUR, intensity: 0.6, topic: 'flights_cancelled' }],
      },
      metrics: { keyAllowList: ALLOW_LIST },
      deadLetters: { path: join(dir, 'dead-letters.ndjson') },
    }),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, STORMWATCH_CONFIG: configPath, STORMWATCH_SERVER_PORT: String(appPort), STORMWATCH_SERVER_HOST: '127.0.0.1' };
  for (const name of Object.keys(env)) if (name.startsWith('STORMWATCH_KAFKA_') || name === 'PORT') delete env[name];
  stormwatch = spawnNode(repoFile('dist/src/main.js'), [], { env, cwd: dir });
  await stormwatch.waitForLine(/stormwatch listening on/, 30_000);
  const appUrl = `http://127.0.0.1:${appPort}`;
  console.log(`[${elapsed()}] stormwatch on ${appUrl}`);

  // Prometheus: scrape every second, evaluate the project's rule files every second.
  const promPort = await freePort();
  const promUrl = `http://127.0.0.1:${promPort}`;
  const promConfig = join(dir, 'prometheus.yml');
  writeFileSync(
    promConfig,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      `  - ${JSON.stringify(repoFile('prometheus/rules/*.yml'))}`,
      'scrape_configs:',
      '  - job_name: stormwatch',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${appPort}']`,
      '',
    ].join('\n'),
  );
  prometheus = startPrometheus([
    `--config.file=${promConfig}`,
    `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    '--storage.tsdb.retention.time=1h',
    `--web.listen-address=127.0.0.1:${promPort}`,
    '--log.level=warn',
  ]);
  const promLog = (): string => prometheus!.output.slice(-20).join('\n');
  await waitFor('Prometheus ready', async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined), 30_000, 500).catch((error: Error) => {
    throw new Error(`${error.message}\n${promLog()}`);
  });
  const promStartSeconds = Date.now() / 1000;
  console.log(`[${elapsed()}] prometheus on ${promUrl}`);

  async function api<T>(path: string, params: Record<string, string> = {}): Promise<PromResponse<T>> {
    const response = await fetch(`${promUrl}${path}?${new URLSearchParams(params)}`);
    return (await response.json()) as PromResponse<T>;
  }
  /** Range query over the whole run, as a panel shows it: status, and how many series have points. */
  async function rangeQuery(expr: string): Promise<{ ok: boolean; error?: string; series: number }> {
    const end = Date.now() / 1000;
    const body = await api<SeriesResult>('/api/v1/query_range', { query: expr, start: String(promStartSeconds), end: String(end), step: '1' });
    if (body.status !== 'success') return { ok: false, error: `${body.errorType}: ${body.error}`, series: 0 };
    return { ok: true, series: body.data.result.filter((s) => (s.values ?? []).length > 0).length };
  }

  await stormwatch.waitForLine(/"type":"storm\.started"/, 120_000);
  console.log(`[${elapsed()}] storm.started on ${STORM_KEY}`);

  // Firing: the rules are evaluated every second and StormActive has no `for`.
  const firing = await waitFor(
    'StormActive firing',
    async () => {
      const body = await api<AlertsData>('/api/v1/alerts');
      const alerts = body.data.alerts.filter((a) => a.state === 'firing');
      return alerts.some((a) => a.labels.alertname === 'StormActive') ? alerts : undefined;
    },
    30_000,
    500,
  );
  console.log(`[${elapsed()}] StormActive firing`);
  // A few more scrapes, so [1m] rates have points after the storm began.
  await sleep(5_000);

  const metricsText = await (await fetch(`${appUrl}/metrics`)).text();
  const exposedFamilies = new Set([...metricsText.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
  // Expressions over series only the Kafka source exposes may be empty here (simulator run).
  const kafkaOnlyEmpty = (expr: string): boolean => {
    const selectors = metricSelectors(expr);
    return selectors.length > 0 && selectors.every((s) => KAFKA_ONLY.test(s)) && !selectors.some((s) => exposedFamilies.has(s.replace(/\{.*$/, '')));
  };
  const skippedForKafka: string[] = [];

  await t.test('only StormActive fires: a healthy service raises no operational alert', () => {
    const names = firing.map((a) => a.labels.alertname).sort();
    assert.deepEqual(names, ['StormActive']);
    const storm = firing.find((a) => a.labels.alertname === 'StormActive')!;
    assert.equal(storm.labels.team, 'comms');
    assert.ok(Number(storm.value) >= 1);
  });

  await t.test('every dashboard expression parses and returns data', async () => {
    const dashboard = JSON.parse(readFileSync(repoFile('grafana/dashboards/stormwatch.json'), 'utf8')) as Parameters<typeof dashboardExpressions>[0];
    const expressions = dashboardExpressions(dashboard);
    assert.ok(expressions.length >= 20, `dashboard expressions: ${expressions.length}`);
    // One concrete choice of the variables, as Grafana substitutes them ($__rate_interval: ≥ 4 scrapes).
    const values = { job: 'stormwatch', instance: '.*', key: STORM_KEY, __rate_interval: '1m', __interval: '15s', datasource: 'prometheus' };
    const problems: string[] = [];
    for (const { where, expr } of expressions) {
      const query = substituteVariables(expr, values);
      const result = await rangeQuery(query);
      if (!result.ok) problems.push(`${where}: ${result.error}\n    ${query}`);
      else if (result.series === 0) {
        if (kafkaOnlyEmpty(query)) skippedForKafka.push(`${where}: ${query}`);
        else problems.push(`${where}: no data\n    ${query}`);
      }
    }
    // Template variables: label_values(selector, label) must find values.
    for (const variable of dashboard.templating?.list ?? []) {
      const m = /^label_values\((.+),\s*(\w+)\)$/.exec(variable.definition ?? '');
      if (!m) continue;
      const query = substituteVariables(`count by (${m[2]}) (${m[1]})`, values);
      const result = await rangeQuery(query);
      if (!result.ok || result.series === 0) problems.push(`variable $${variable.name}: ${result.error ?? 'no values'}\n    ${query}`);
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  await t.test('every rule is loaded, healthy, and every series it selects has data', async () => {
    const rules = (await api<RulesData>('/api/v1/rules')).data.groups.flatMap((g) => g.rules);
    const names = rules.map((r) => r.name).sort();
    assert.deepEqual(names, ['StormActive', 'StormwatchConsumerLagGrowing', 'StormwatchDeadLetterRateHigh', 'StormwatchDown', 'StormwatchIngestStalled', 'StormwatchSourceNotReady']);
    const problems: string[] = [];
    for (const rule of rules) {
      if (rule.health !== 'ok') problems.push(`${rule.name}: health ${rule.health} ${rule.lastError ?? ''}`);
      // The alert condition itself is empty unless it fires: it must evaluate; its inputs must have data.
      const whole = await rangeQuery(rule.query);
      if (!whole.ok) problems.push(`${rule.name}: ${whole.error}`);
      for (const selector of metricSelectors(rule.query)) {
        const result = await rangeQuery(`count(${selector})`);
        if (!result.ok) problems.push(`${rule.name}: ${selector}: ${result.error}`);
        else if (result.series === 0) {
          if (kafkaOnlyEmpty(selector)) skippedForKafka.push(`rule ${rule.name}: ${selector}`);
          else problems.push(`${rule.name}: ${selector} has no data`);
        }
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  await t.test('the ingest-stalled alert is armed: the baselines expect far more than its threshold', async () => {
    const body = await api<SeriesResult>('/api/v1/query', { query: 'avg_over_time(stormwatch_expected_mentions_per_second{job="stormwatch"}[10m]) * 600' });
    const value = Number(body.data.result[0]?.value?.[1]);
    assert.ok(value > 20, `expected mentions in 10 minutes (event time): ${value}; the rule needs > 20`);
  });

  await t.test('promtool check metrics passes on the real /metrics output', () => {
    const check = spawnSync('promtool', ['check', 'metrics'], { input: metricsText, encoding: 'utf8' });
    console.log(`promtool check metrics: exit ${check.status}${check.stdout || check.stderr ? `\n${check.stdout}${check.stderr}` : ' (no findings)'}`);
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
  });

  await t.test('the real /metrics output agrees with docs/metrics.md', () => {
    const documented = documentedMetrics(readFileSync(repoFile('docs/metrics.md'), 'utf8'));
    const types = new Map([...metricsText.matchAll(/^# TYPE (stormwatch_\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const documentedNames = [...documented.keys()].filter((n) => n.startsWith('stormwatch_'));
    assert.deepEqual([...types.keys()].filter((n) => !documented.has(n)), [], 'exposed but not documented');
    // Documented but absent: only the Kafka adapter's and the keyed state's, as this run has no Kafka source.
    assert.deepEqual(documentedNames.filter((n) => !types.has(n) && !KAFKA_ONLY.test(n)), [], 'documented but not exposed');
    for (const [name, type] of types) assert.equal(type, documented.get(name)!.type, `${name}: type`);
    // Every label on every series is a documented label of its metric.
    for (const m of metricsText.matchAll(/^(stormwatch_[a-z_]+?)(?:_bucket|_sum|_count)?\{([^}]*)\}/gm)) {
      const name = documented.has(m[1]!) ? m[1]! : m[1]!.replace(/_(bucket|sum|count)$/, '');
      const allowed = new Set([...(documented.get(name)?.labels ?? []), 'le']);
      for (const label of m[2]!.matchAll(/(\w+)="/g)) assert.ok(allowed.has(label[1]!), `${name}: undocumented label ${label[1]}`);
    }
    assert.match(metricsText, new RegExp(`stormwatch_key_active_episode\\{key="${STORM_KEY}",level="storm"\\} 1`));
  });

  if (skippedForKafka.length > 0) {
    console.warn(`Empty because this run has no Kafka source (allowed only for ${KAFKA_ONLY}):\n  ${skippedForKafka.join('\n  ')}`);
  }
  console.log(`[${elapsed()}] done`);
});
