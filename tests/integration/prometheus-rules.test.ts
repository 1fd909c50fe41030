import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { repoFile } from '../support/ops.js';

// promtool on the project's Prometheus files: the alert rules' unit tests (prometheus/tests/*.yml),
// the rule files' syntax, and the compose stack's prometheus.yml (which loads the rules).

function promtool(t: TestContext, args: string[]): { status: number | null; output: string } | undefined {
  if (spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status !== 0) {
    const message = 'promtool not installed (apt-get install prometheus): promtool checks SKIPPED';
    if (process.env.CI === 'true') assert.fail(`${message}; under CI=true this is a failure (.ci/run installs it)`);
    console.warn(`\n!!! ${message} !!!\n`);
    t.skip(message);
    return undefined;
  }
  const result = spawnSync('promtool', args, { cwd: repoFile('.'), encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`.trim();
  console.log(`$ promtool ${args.join(' ')}\n${output}`);
  return { status: result.status, output };
}

const ruleTests = readdirSync(repoFile('prometheus/tests')).filter((f) => f.endsWith('.yml')).map((f) => `prometheus/tests/${f}`);
const ruleFiles = readdirSync(repoFile('prometheus/rules')).filter((f) => f.endsWith('.yml')).map((f) => `prometheus/rules/${f}`);

test('promtool test rules: every alert rule behaves as its unit tests say', (t) => {
  assert.ok(ruleTests.length > 0, 'prometheus/tests has rule tests');
  const result = promtool(t, ['test', 'rules', ...ruleTests]);
  if (result) assert.equal(result.status, 0, result.output);
});

test('promtool check rules: the rule files are valid', (t) => {
  const result = promtool(t, ['check', 'rules', ...ruleFiles]);
  if (result) assert.equal(result.status, 0, result.output);
});

test('promtool check config: the compose stack\'s prometheus.yml, with its rule files', (t) => {
  const result = promtool(t, ['check', 'config', 'prometheus/prometheus.yml']);
  if (result) {
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /SUCCESS: \d+ rules found/);
  }
});
