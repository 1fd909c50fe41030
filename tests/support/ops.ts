// Helpers for the operations tests: the metrics table of docs/metrics.md, the instruments of a
// registry, and the PromQL expressions of the Grafana dashboard.
import { fileURLToPath } from 'node:url';
import type { Registry } from 'prom-client';

const ROOT = new URL('../../../', import.meta.url); // dist/tests/support → repository root

/** Absolute path of a file in the repository (tests run from dist/). */
export function repoFile(relative: string): string {
  return fileURLToPath(new URL(relative, ROOT));
}

export interface MetricShape {
  name: string;
  type: string;
  labels: string[];
}

/**
 * The rows of docs/metrics.md's tables whose first cell is a backticked metric name:
 * `| \`name\` | type | \`label\` (values), … or — | meaning |`.
 */
export function documentedMetrics(markdown: string): Map<string, MetricShape> {
  const out = new Map<string, MetricShape>();
  for (const line of markdown.split('\n')) {
    const m = /^\|\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|\s*([a-z]+)\s*\|([^|]*)\|/.exec(line);
    if (!m) continue;
    // Label names are backticked; their values, in parentheses, are not.
    const labels = [...m[3]!.replace(/\([^)]*\)/g, '').matchAll(/`([a-zA-Z_][a-zA-Z0-9_]*)`/g)].map((l) => l[1]!);
    if (out.has(m[1]!)) throw new Error(`docs/metrics.md lists ${m[1]} twice`);
    out.set(m[1]!, { name: m[1]!, type: m[2]!, labels });
  }
  return out;
}

/**
 * Name, type and label names of every instrument in `registry`. prom-client keeps the label names
 * on the instrument (`labelNames`) without declaring them in its types: read, never written.
 */
export function registeredMetrics(registry: Registry): MetricShape[] {
  return registry.getMetricsAsArray().map((metric) => {
    const labelNames = (metric as unknown as { labelNames?: readonly string[] }).labelNames;
    if (!Array.isArray(labelNames)) throw new Error(`prom-client no longer exposes labelNames on ${metric.name}`);
    return { name: metric.name, type: String(metric.type), labels: [...labelNames] };
  });
}

export interface DashboardExpression {
  /** Where in the dashboard: panel title and refId, or the annotation's name. */
  where: string;
  expr: string;
}

interface Target {
  expr?: string;
  refId?: string;
}
interface Panel {
  title?: string;
  type?: string;
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  panels?: Panel[];
  annotations?: { list?: { name?: string; expr?: string }[] };
  templating?: { list?: { name?: string; definition?: string }[] };
}

/** Every PromQL expression of a dashboard: panel targets (rows included) and annotations. */
export function dashboardExpressions(dashboard: Dashboard): DashboardExpression[] {
  const out: DashboardExpression[] = [];
  const walk = (panels: Panel[] | undefined): void => {
    for (const panel of panels ?? []) {
      for (const target of panel.targets ?? []) {
        if (typeof target.expr === 'string') out.push({ where: `panel "${panel.title}" ${target.refId}`, expr: target.expr });
      }
      walk(panel.panels);
    }
  };
  walk(dashboard.panels);
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (typeof annotation.expr === 'string') out.push({ where: `annotation "${annotation.name}"`, expr: annotation.expr });
  }
  return out;
}

/** Metric names a PromQL expression selects (stormwatch_*, process_*, nodejs_*, up), with their matchers. */
export function metricSelectors(expr: string): string[] {
  const found = new Set<string>();
  for (const m of expr.matchAll(/(?<![\w:$"])((?:stormwatch|process|nodejs)_[a-zA-Z0-9_]+|up)\b(\{[^}]*\})?/g)) {
    found.add(m[1]! + (m[2] ?? ''));
  }
  return [...found];
}

/** The dashboard's template variables replaced as Grafana would for one concrete choice. */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(/\$(__\w+|\w+)|\$\{(\w+)\}/g, (_whole, a: string | undefined, b: string | undefined) => {
    const name = a ?? b!;
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the dashboard variable $${name} in ${expr}`);
    return value;
  });
}
