import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { dashboardExpressions, documentedMetrics, metricSelectors, repoFile } from '../../support/ops.js';

// There is no Docker engine where the tests run: these checks are the structural validation of the
// compose stack. Files referenced exist, and the names and ports of docker-compose.yml,
// prometheus/prometheus.yml, the rules, the Grafana provisioning and the dashboard agree.

type Yaml = Record<string, any>; // parsed YAML: checked field by field

const read = (path: string): string => readFileSync(repoFile(path), 'utf8');
const compose = parse(read('docker-compose.yml')) as Yaml;
const services = compose.services as Record<string, Yaml>;
const prometheusConfig = parse(read('prometheus/prometheus.yml')) as Yaml;
const datasources = parse(read('grafana/provisioning/datasources/prometheus.yml')) as Yaml;
const dashboardProviders = parse(read('grafana/provisioning/dashboards/stormwatch.yml')) as Yaml;
const dashboard = JSON.parse(read('grafana/dashboards/stormwatch.json')) as Yaml;
const dockerfile = read('Dockerfile');
const ruleFiles = readdirSync(repoFile('prometheus/rules')).filter((f) => f.endsWith('.yml'));
const rules = ruleFiles.flatMap((f) => ((parse(read(`prometheus/rules/${f}`)) as Yaml).groups as Yaml[]).flatMap((g) => g.rules as Yaml[]));

function env(service: string): Record<string, string> {
  return Object.fromEntries(Object.entries((services[service]!.environment ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}
/** Bind mounts `./host:/container[:ro]` of a service as [host, container]. */
function mounts(service: string): [string, string][] {
  return ((services[service]!.volumes ?? []) as string[]).map((v) => {
    const [host, container] = v.split(':');
    return [host!, container!];
  });
}
/** The host path a container path of `service` comes from, through its bind mounts. */
function hostPath(service: string, containerPath: string): string | undefined {
  for (const [host, container] of mounts(service)) {
    if (containerPath === container || containerPath.startsWith(`${container}/`)) return host + containerPath.slice(container.length);
  }
  return undefined;
}
function publishedPorts(service: string): number[] {
  return ((services[service]!.ports ?? []) as string[]).map((p) => Number(String(p).split(':').at(-1)));
}

test('the stack has Kafka (KRaft), stormwatch, a demo producer, Prometheus and Grafana', () => {
  assert.deepEqual(Object.keys(services).sort(), ['demo-producer', 'grafana', 'kafka', 'prometheus', 'stormwatch']);
  assert.match(services.kafka!.image, /^apache\/kafka:4\.\d+\.\d+$/, 'the official image, pinned, Kafka 4 (KRaft only)');
  const kafka = env('kafka');
  assert.equal(kafka.KAFKA_PROCESS_ROLES, 'broker,controller');
  assert.ok(!Object.keys(kafka).some((k) => k.includes('ZOOKEEPER')), 'no ZooKeeper');
  assert.match(kafka.KAFKA_CONTROLLER_QUORUM_VOTERS!, new RegExp(`^${kafka.KAFKA_NODE_ID}@kafka:\\d+$`));
  for (const service of ['prometheus', 'grafana']) assert.match(services[service]!.image, /:v?\d+\.\d+\.\d+$/, `${service}: a pinned version`);
});

test('stormwatch and the demo producer reach Kafka on an advertised listener, and are built from the Dockerfile', () => {
  const advertised = env('kafka').KAFKA_ADVERTISED_LISTENERS!.split(',').map((l) => l.replace(/^\w+:\/\//, ''));
  for (const service of ['stormwatch', 'demo-producer']) {
    assert.equal(services[service]!.build, '.', `${service} builds the repository's Dockerfile`);
    for (const broker of env(service).STORMWATCH_KAFKA_BROKERS!.split(',')) assert.ok(advertised.includes(broker), `${service}: ${broker} is advertised by kafka`);
    assert.equal(services[service]!.depends_on?.kafka?.condition, 'service_healthy');
  }
  const producer = (services['demo-producer']!.command as string[]).join(' ');
  const script = /scripts\/[\w.-]+\.mjs/.exec(producer)?.[0];
  assert.ok(script && existsSync(repoFile(script)), `${producer}: the script exists`);
  assert.match(dockerfile, new RegExp(`COPY ${script} `), 'and is copied into the image');
  assert.equal(services['demo-producer']!.healthcheck?.disable, true, "the producer does not inherit the service's /healthz check");
  // Event time of a replay at 60× runs ahead of the wall clock.
  assert.equal(env('stormwatch').STORMWATCH_KAFKA_CLOCK, 'records');
});

test('Prometheus scrapes the stormwatch service on its port, with the project rules mounted', () => {
  const port = Number(env('stormwatch').STORMWATCH_SERVER_PORT);
  assert.ok(publishedPorts('stormwatch').includes(port));
  assert.match(dockerfile, new RegExp(`EXPOSE ${port}\\b`));
  const job = (prometheusConfig.scrape_configs as Yaml[]).find((s) => s.job_name === 'stormwatch');
  assert.ok(job, 'a scrape job named stormwatch (the rules and the dashboard select job="stormwatch")');
  assert.deepEqual(job.static_configs[0].targets, [`stormwatch:${port}`]);
  for (const rule of rules) if (/stormwatch_|up\{/.test(rule.expr)) assert.match(rule.expr, /job="stormwatch"/, `${rule.alert}: selects the job`);

  const configArg = (services.prometheus!.command as string[]).find((a) => a.startsWith('--config.file='))!.split('=')[1]!;
  const configHost = hostPath('prometheus', configArg);
  assert.equal(configHost, './prometheus/prometheus.yml');
  assert.ok(existsSync(repoFile(configHost)));
  // rule_files are relative to the config file: they must find the rule files in the same mount.
  for (const pattern of prometheusConfig.rule_files as string[]) {
    const dir = pattern.replace(/\/[^/]*$/, '');
    assert.ok(existsSync(repoFile(`prometheus/${dir}`)) && ruleFiles.length > 0, `${pattern}: matches prometheus/rules/*.yml`);
  }
  const listen = (services.prometheus!.command as string[]).find((a) => a.startsWith('--web.listen-address='))!.split(':').at(-1);
  assert.ok(publishedPorts('prometheus').includes(Number(listen)));
});

test('Grafana: the datasource points at the prometheus service; the dashboard provider finds the mounted dashboards', () => {
  const ds = (datasources.datasources as Yaml[])[0]!;
  const url = new URL(ds.url);
  assert.equal(url.hostname, 'prometheus');
  assert.ok(services[url.hostname], 'a compose service of that name');
  const listen = (services.prometheus!.command as string[]).find((a) => a.startsWith('--web.listen-address='))!.split(':').at(-1);
  assert.equal(url.port, listen);
  assert.equal(ds.jsonData.timeInterval, prometheusConfig.global.scrape_interval, "Grafana's $__rate_interval follows the real scrape interval");

  const variable = (dashboard.templating.list as Yaml[]).find((v) => v.type === 'datasource');
  assert.equal(variable?.current?.value, ds.uid, 'the dashboard defaults to the provisioned datasource');

  const providerPath = (dashboardProviders.providers as Yaml[])[0]!.options.path as string;
  const dashboardsHost = hostPath('grafana', providerPath);
  assert.equal(dashboardsHost, './grafana/dashboards');
  assert.ok(existsSync(repoFile('grafana/dashboards/stormwatch.json')));
  const home = env('grafana').GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!;
  assert.ok(existsSync(repoFile(hostPath('grafana', home)!)), `${home} is mounted`);
  for (const container of ['/etc/grafana/provisioning/datasources', '/etc/grafana/provisioning/dashboards']) {
    assert.ok(hostPath('grafana', container), `${container} is mounted`);
  }
});

test('every bind mount and build context exists', () => {
  for (const name of Object.keys(services)) {
    for (const [host] of mounts(name)) {
      if (host.startsWith('.')) assert.ok(existsSync(repoFile(host)), `${name}: ${host} exists`);
    }
  }
  assert.ok(statSync(repoFile('Dockerfile')).isFile());
});

test('Dockerfile: multi-stage, production dependencies only, non-root, health-checked', () => {
  const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\w+)$/gm)].map((m) => m[1]);
  assert.deepEqual(stages, ['build', 'runtime']);
  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
  assert.match(dockerfile, /^ARG NODE_IMAGE=node:20-slim$/m);
  assert.match(runtime, /npm ci --ignore-scripts --omit=dev/);
  assert.match(runtime, /^USER node$/m);
  assert.match(runtime, /^HEALTHCHECK .*\n?.*\/healthz/m);
  assert.match(runtime, /COPY --from=build \/app\/dist\/src \.\/dist\/src/);
  // Every COPY source exists and is not excluded by .dockerignore.
  const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  for (const m of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
    for (const source of m[1]!.split(/\s+/)) {
      assert.ok(existsSync(repoFile(source)), `COPY ${source}: exists`);
      assert.ok(!ignored.some((i) => source === i || source.startsWith(`${i}/`)), `COPY ${source}: not in .dockerignore`);
    }
  }
  // The runtime reads config/default.json relative to dist/src.
  assert.match(runtime, /COPY config \.\/config/);
});

test('every metric the dashboard and the rules use is documented in docs/metrics.md', () => {
  const documented = documentedMetrics(read('docs/metrics.md'));
  const used = new Set<string>();
  for (const { expr } of dashboardExpressions(dashboard)) for (const s of metricSelectors(expr)) used.add(s.replace(/\{.*$/, ''));
  for (const rule of rules) for (const s of metricSelectors(rule.expr as string)) used.add(s.replace(/\{.*$/, ''));
  const strip = (name: string): string => name.replace(/_bucket$/, '');
  const undocumented = [...used].filter((n) => n !== 'up' && !documented.has(strip(n)));
  assert.deepEqual(undocumented, []);
});

test('dashboard: unique panel ids, every query on the datasource variable, every alert has a promtool test', () => {
  const panels = dashboard.panels as Yaml[];
  const ids = panels.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const panel of panels.filter((p) => p.type !== 'row')) {
    assert.equal(panel.datasource?.uid, '${datasource}', `${panel.title}: datasource`);
    assert.ok((panel.targets as Yaml[]).length > 0, `${panel.title}: has queries`);
  }
  const tested = new Set<string>();
  for (const f of readdirSync(repoFile('prometheus/tests')).filter((n) => n.endsWith('.yml'))) {
    for (const t of (parse(read(`prometheus/tests/${f}`)) as Yaml).tests as Yaml[]) for (const a of t.alert_rule_test ?? []) tested.add(a.alertname);
  }
  const alerts = rules.filter((r) => r.alert).map((r) => r.alert as string);
  assert.ok(alerts.length >= 6);
  assert.deepEqual(alerts.filter((a) => !tested.has(a)), [], 'alerts without a promtool test');
});
