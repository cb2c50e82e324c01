import { readFileSync } from 'node:fs';
import { gatewayFetch, readAdminKey, useApiKey } from './admin-key.ts';
import { gatewayUrl, loadProfile } from './profile.ts';

interface ImportJob {
  id: string;
  status: string;
  total_rows: number;
  processed_rows: number;
  created_rows: number;
  failed_rows: number;
  progress: number;
  rows_per_second: number;
  errors: { line: number; field: string; message: string }[];
  failure: string | null;
  detail?: string;
}

function bar(progress: number, width = 30): string {
  const filled = Math.round(progress * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/**
 * `./traceport import <file.csv> [--gateway URL]`: uploads an archive CSV to the running platform
 * and shows the job's progress until it finishes, then its rate and the first row errors.
 */
export async function importCommand(root: string, args: string[]): Promise<number> {
  const file = args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--gateway');
  if (file === undefined) {
    process.stderr.write('usage: ./traceport import <file.csv> [--gateway URL]   (the key: TRACEPORT_API_KEY, or the local admin key)\n');
    return 2;
  }
  const gatewayIndex = args.indexOf('--gateway');
  const profile = loadProfile('dev', root);
  const base = gatewayIndex >= 0 ? args[gatewayIndex + 1]! : gatewayUrl(profile);
  // Importing needs a key that may write the archive: TRACEPORT_API_KEY, else the local platform's admin key.
  const key = process.env['TRACEPORT_API_KEY'] || readAdminKey(profile);
  if (key === null) {
    process.stderr.write('traceport: no API key: set TRACEPORT_API_KEY, or start the local platform (./traceport up) to make its admin key\n');
    return 2;
  }
  useApiKey(key);
  const csv = readFileSync(file, 'utf8');
  const started = await gatewayFetch(`${base}/v1/archive/imports`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
  let job = (await started.json()) as ImportJob;
  if (started.status !== 202) {
    process.stderr.write(`traceport: the import was refused (${started.status}): ${job.detail ?? ''}\n`);
    return 1;
  }
  // A terminal gets one live line; a log gets a line per tenth done.
  const tty = process.stdout.isTTY;
  let lastTenth = -1;
  while (job.status === 'queued' || job.status === 'running') {
    const line = `${bar(job.progress)} ${job.processed_rows.toLocaleString('en')}/${job.total_rows.toLocaleString('en')} rows · ${job.rows_per_second.toLocaleString('en')} rows/s · ${job.failed_rows} with errors`;
    const tenth = Math.floor(job.progress * 10);
    if (tty) process.stdout.write(`\r${line}`);
    else if (tenth !== lastTenth) process.stdout.write(`${line}\n`);
    lastTenth = tenth;
    await new Promise((resolve) => setTimeout(resolve, 500));
    job = (await (await gatewayFetch(`${base}/v1/archive/imports/${job.id}`)).json()) as ImportJob;
  }
  if (tty) process.stdout.write('\n');
  process.stdout.write(
    `import ${job.id} ${job.status}: ${job.created_rows.toLocaleString('en')} records created, ${job.failed_rows} rows with errors, ` +
      `${job.total_rows.toLocaleString('en')} rows at ${job.rows_per_second.toLocaleString('en')} rows/s\n`,
  );
  for (const error of job.errors.slice(0, 20)) process.stdout.write(`  line ${error.line}, ${error.field}: ${error.message}\n`);
  if (job.errors.length > 20) process.stdout.write(`  … ${job.failed_rows - 20} more; GET ${base}/v1/archive/imports/${job.id}\n`);
  // Rows with errors make a non-zero exit, so a script notices them.
  return job.status === 'succeeded' && job.failed_rows === 0 ? 0 : 1;
}
