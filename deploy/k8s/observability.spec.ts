import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaErrors } from './tooling/manifest-schemas.ts';

// The alerts and the dashboard are only useful if what they query exists and their runbooks do.

const root = fileURLToPath(new URL('../../', import.meta.url));
const rules = parse(readFileSync(join(root, 'deploy/k8s/base/observability/prometheus-rules.yaml'), 'utf8')) as {
  apiVersion: string;
  kind: string;
  spec: { groups: { rules: { alert: string; expr: string; annotations: { runbook_url: string } }[] }[] };
};
const dashboard = JSON.parse(readFileSync(join(root, 'deploy/k8s/base/observability/grafana-dashboard.json'), 'utf8')) as {
  uid: string;
  panels: { id: number; title: string; targets: { expr: string }[] }[];
};
const alerts = rules.spec.groups.flatMap((group) => group.rules);

/** GitHub's anchor for a Markdown heading. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');

/** Metric names our own code registers (prom-client `name: 'traceport_...'`). */
function metricsDefinedInSource(): Set<string> {
  const names = new Set<string>();
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'dist') walk(path);
      else if (entry.name.endsWith('.ts')) for (const match of readFileSync(path, 'utf8').matchAll(/name: '(traceport_[a-z_]+)'/g)) names.add(match[1]!);
    }
  };
  walk(join(root, 'apps'));
  walk(join(root, 'libs'));
  return names;
}

/** traceport_* series a PromQL expression reads (histograms through their _bucket/_count/_sum). */
function traceportSeriesIn(expr: string): string[] {
  return [...expr.matchAll(/\b(traceport_[a-z_]+)/g)].map((match) => match[1]!.replace(/_(bucket|count|sum)$/, ''));
}

describe('the PrometheusRule', () => {
  it('is valid against the prometheus-operator CRD schema', async () => {
    expect(await schemaErrors(rules)).toEqual([]);
  });

  it('links every alert to a runbook section of docs/operations.md that exists, and has no runbook without its alert', () => {
    const doc = readFileSync(join(root, 'docs/operations.md'), 'utf8');
    const anchors = new Set([...doc.matchAll(/^#{2,4} (.+)$/gm)].map((match) => anchorOf(match[1]!)));
    for (const alert of alerts) {
      const [path, anchor] = alert.annotations.runbook_url.split('#');
      expect(path, alert.alert).toBe('docs/operations.md');
      expect(anchor, alert.alert).toBe(anchorOf(alert.alert));
      expect(anchors.has(anchor!), `${alert.alert}: no heading for #${anchor}`).toBe(true);
    }
    const runbooks = [...doc.matchAll(/^### (Traceport\w+)$/gm)].map((match) => match[1]!);
    expect(runbooks.sort()).toEqual(alerts.map((alert) => alert.alert).sort());
  });
});

describe('alerts and dashboard', () => {
  it('query only Traceport metrics the services really register', () => {
    const defined = metricsDefinedInSource();
    const used = [...alerts.map((alert) => alert.expr), ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr))].flatMap(
      traceportSeriesIn,
    );
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((name) => !defined.has(name))).toEqual([]);
  });

  it('give the dashboard unique panels, each with a query', () => {
    expect(dashboard.uid).toBe('traceport-overview');
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) expect(panel.targets.length, panel.title).toBeGreaterThan(0);
  });
});
