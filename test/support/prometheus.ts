/** One scrape of a service's metrics: `value(name, labels)` sums the series of `name` whose labels include `labels`. */
export interface Scrape {
  value(name: string, labels?: Record<string, string>): number;
}

/**
 * Reads a service's GET /metrics as Prometheus does (the text exposition format). Values read from
 * one scrape were taken at the same moment; 0 for a series not counted yet.
 */
export async function scrape(metricsUrl: string): Promise<Scrape> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`${metricsUrl} answered ${response.status}`);
  const samples = (await response.text()).split('\n').flatMap((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) return [];
    const labels = new Map([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((label) => [label[1]!, label[2]!]));
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });
  return {
    value: (name, labels = {}) =>
      samples
        .filter((sample) => sample.name === name && Object.entries(labels).every(([label, wanted]) => sample.labels.get(label) === wanted))
        .reduce((sum, sample) => sum + sample.value, 0),
  };
}
