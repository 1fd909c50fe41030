import { readFileSync } from 'node:fs';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { detectionConfigProblems } from '../detect/config.js';
import { envOverrides, envVariable, settingsByVariable, type Origins } from './env.js';
import { serviceConfigProblems, sourceProblems } from './rules.js';
import { ConfigError, ConfigSchema, type Config } from './schema.js';

const DEFAULT_FILE = new URL('../../../config/default.json', import.meta.url);

/** The defaults exactly as the schemas state them (config/default.json must equal this). */
export function schemaDefaults(): Config {
  return Value.Default(ConfigSchema, {}) as Config;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Settings whose values are never echoed in a problem. */
const SECRET_SETTINGS = new Set(['feed.token']);

/**
 * One schema error as a line: the setting, its environment variable, what is wrong (allowed values
 * listed), and where the value came from: `server.port (STORMWATCH_SERVER_PORT="x"): …` or
 * `server.port (STORMWATCH_SERVER_PORT; set in the STORMWATCH_CONFIG file a.json): … (got "x")`.
 */
function describeError(error: ValueError, origins: Origins, env: NodeJS.ProcessEnv): string {
  const segments = error.path.split('/').slice(1);
  const leaf = segments.slice(0, 2).join('.');
  const literals = (error.schema as { anyOf?: { const?: unknown }[] }).anyOf?.map((s) => s.const);
  let message = literals !== undefined && literals.every((l) => l !== undefined) ? `expected one of ${literals.join(', ')}` : error.message.replace(/^[A-Z]/, (c) => c.toLowerCase());
  if (error.type === ValueErrorType.ObjectAdditionalProperties) message = 'not a setting';
  const secret = SECRET_SETTINGS.has(leaf);
  const origin = origins.get(leaf) ?? origins.get(segments[0] ?? '');
  const variable = segments.length === 2 && settingsByVariable.has(envVariable(segments[0]!, segments[1]!)) ? envVariable(segments[0]!, segments[1]!) : undefined;
  let where = variable;
  let got = error.value === undefined || secret ? '' : ` (got ${JSON.stringify(error.value)?.slice(0, 80)})`;
  if (origin !== undefined && 'variable' in origin) {
    // The variable's own text says more than its parsed value.
    where = secret ? origin.variable : `${origin.variable}=${JSON.stringify(env[origin.variable])}`;
    got = '';
  } else if (origin !== undefined) where = [variable, `set in the STORMWATCH_CONFIG file ${origin.file}`].filter((w) => w !== undefined).join('; ');
  return `${segments.join('.') || '(root)'}${where !== undefined ? ` (${where})` : ''}: ${message}${got}`;
}

/** The file's settings, marked as coming from it (sections too: unknown ones are reported there). */
function markFileOrigins(contents: Record<string, unknown>, file: string, origins: Origins): void {
  for (const [section, value] of Object.entries(contents)) {
    origins.set(section, { file });
    if (isObject(value)) for (const name of Object.keys(value)) origins.set(`${section}.${name}`, { file });
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Extra overrides (tests, CLI flags), applied last. */
  overrides?: unknown;
  /**
   * Also check what the service will open before it starts: the source (simulator schedule, file,
   * Kafka TLS files and password) and the files it will write (dead letters). Off for replay and tests.
   */
  service?: boolean;
}

/**
 * Defaults ← STORMWATCH_CONFIG file ← environment ← overrides, validated as a whole: every problem
 * (unknown variables, unparsable values, schema, cross-field rules, the source's own checks) is
 * collected before one ConfigError lists them all.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const origins: Origins = new Map();
  let merged: unknown = JSON.parse(readFileSync(DEFAULT_FILE, 'utf8'));
  const file = env.STORMWATCH_CONFIG;
  if (file !== undefined && file !== '') {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!isObject(parsed)) throw new Error('expected a JSON object of sections');
      markFileOrigins(parsed, file, origins);
      merged = deepMerge(merged, parsed);
    } catch (error) {
      problems.push(`STORMWATCH_CONFIG=${file}: ${(error as Error).message}`);
    }
  }
  merged = deepMerge(merged, envOverrides(env, origins, problems));
  merged = deepMerge(merged, options.overrides);
  const withDefaults = Value.Default(ConfigSchema, Value.Clone(merged));

  // Schema problems, one per setting; then the rules run on a copy where each invalid setting is
  // back at its default, so their problems are listed too (minus those about an invalid setting).
  const invalid = new Set<string>();
  const repaired = Value.Clone(merged) as Record<string, Record<string, unknown> | undefined>;
  for (const error of Value.Errors(ConfigSchema, withDefaults)) {
    const segments = error.path.split('/').slice(1);
    const leaf = segments.slice(0, 2).join('.');
    if (invalid.has(leaf)) continue;
    invalid.add(leaf);
    problems.push(describeError(error, origins, env));
    const [section, name] = segments;
    if (section === undefined) continue;
    if (name === undefined || !isObject(repaired[section])) delete repaired[section];
    else delete repaired[section]![name];
  }
  const candidate = Value.Default(ConfigSchema, repaired);
  if (Value.Check(ConfigSchema, candidate)) {
    const config = candidate as Config;
    const rules = [...detectionConfigProblems(config.detection), ...serviceConfigProblems(config), ...(options.service === true ? sourceProblems(config, env) : [])];
    for (const problem of rules) {
      if (!problems.includes(problem) && ![...invalid].some((path) => problem.includes(path))) problems.push(problem);
    }
    if (problems.length === 0) return deepFreeze(config);
  }
  throw new ConfigError(problems);
}
