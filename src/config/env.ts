import type { TSchema } from '@sinclair/typebox';
import { SASL_PASSWORD_ENV } from './kafka.js';
import { WEBHOOK_SECRET_PREFIX } from './rules.js';
import { ConfigSchema } from './schema.js';

function camelToEnv(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The environment variable of a setting, e.g. server.allowedHosts → STORMWATCH_SERVER_ALLOWED_HOSTS. */
export function envVariable(section: string, name: string): string {
  return `STORMWATCH_${camelToEnv(section)}_${camelToEnv(name)}`;
}

/**
 * STORMWATCH_* variables that are not settings: read where they are used (the config file, the
 * SASL password) or by the tooling (scripts/kafka.sh, tests, benchmarks). Any other STORMWATCH_*
 * variable must name a setting: a misspelt STORMWATCH_FEED_TOKEN must not leave the feed open.
 */
const OTHER_VARIABLES = new Set([
  'STORMWATCH_CONFIG',
  SASL_PASSWORD_ENV,
  'STORMWATCH_KAFKA_DIR',
  'STORMWATCH_KAFKA_PORT',
  'STORMWATCH_KAFKA_CONTROLLER_PORT',
  'STORMWATCH_KAFKA_HEAP_OPTS',
  'STORMWATCH_KAFKA_READY_TIMEOUT',
  'STORMWATCH_KAFKA_STOP_TIMEOUT',
  'STORMWATCH_CHROMIUM',
]);
const OTHER_PREFIXES = ['STORMWATCH_TEST_', 'STORMWATCH_BENCH_', WEBHOOK_SECRET_PREFIX];

export interface Setting {
  section: string;
  name: string;
  schema: TSchema;
}

/** Every setting by its environment variable. */
export const settingsByVariable: ReadonlyMap<string, Setting> = new Map(
  Object.entries(ConfigSchema.properties).flatMap(([section, sectionSchema]) =>
    Object.entries((sectionSchema as { properties?: Record<string, TSchema> }).properties ?? {}).map(
      ([name, schema]) => [envVariable(section, name), { section, name, schema }] as const,
    ),
  ),
);

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

function closestVariable(variable: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 4; // more edits than this is not a misspelling
  for (const known of settingsByVariable.keys()) {
    const d = editDistance(variable, known);
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A variable's text as the setting's type, or a problem. Numbers are decimal only: no hex, no blanks. */
function parseVariable(raw: string, schema: TSchema): { value: unknown } | { problem: string } {
  const kind = (schema as { type?: string }).type;
  if (kind === 'integer') {
    return INTEGER.test(raw) && Number.isSafeInteger(Number(raw)) ? { value: Number(raw) } : { problem: 'expected a whole decimal number' };
  }
  if (kind === 'number') return DECIMAL.test(raw) && Number.isFinite(Number(raw)) ? { value: Number(raw) } : { problem: 'expected a decimal number' };
  if (kind === 'boolean') return raw === 'true' || raw === '1' ? { value: true } : raw === 'false' || raw === '0' ? { value: false } : { problem: 'expected one of true, false, 1, 0' };
  if (kind === 'array') {
    if ((schema as { items?: { type?: string } }).items?.type !== 'string') return { problem: 'a list of objects: set it in the STORMWATCH_CONFIG file' };
    return { value: raw.split(',').map((s) => s.trim()).filter((s) => s !== '') };
  }
  if (kind === 'object') return { problem: 'an object: set it in the STORMWATCH_CONFIG file' };
  return { value: raw };
}

/** Where each setting's value came from, for problems: a variable (`STORMWATCH_X`, `PORT`) or the config file. */
export type Origin = { readonly variable: string } | { readonly file: string };
export type Origins = Map<string, Origin>;

/** Reads the STORMWATCH_* variables (and PORT) as overrides; unknown and unparsable ones are problems. */
export function envOverrides(env: NodeJS.ProcessEnv, origins: Origins, problems: string[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const set = (variable: string, setting: Setting, raw: string): void => {
    const dotted = `${setting.section}.${setting.name}`;
    const parsed = parseVariable(raw, setting.schema);
    if ('problem' in parsed) problems.push(`${dotted} (${variable}=${JSON.stringify(raw)}): ${parsed.problem}`);
    else {
      (out[setting.section] ??= {})[setting.name] = parsed.value;
      origins.set(dotted, { variable });
    }
  };
  for (const [variable, raw] of Object.entries(env)) {
    if (!variable.startsWith('STORMWATCH_') || raw === undefined) continue;
    const setting = settingsByVariable.get(variable);
    if (setting === undefined) {
      if (OTHER_VARIABLES.has(variable) || OTHER_PREFIXES.some((p) => variable.startsWith(p))) continue;
      const closest = closestVariable(variable);
      problems.push(`${variable}: not a setting${closest !== undefined ? `; did you mean ${closest}?` : ''} (every setting: README "Configuration")`);
      continue;
    }
    if (raw !== '') set(variable, setting, raw);
  }
  // PORT is the common convention; STORMWATCH_SERVER_PORT wins when both are set.
  const port = env.PORT;
  if (port !== undefined && port !== '' && (env.STORMWATCH_SERVER_PORT ?? '') === '') set('PORT', settingsByVariable.get('STORMWATCH_SERVER_PORT')!, port);
  return out;
}
