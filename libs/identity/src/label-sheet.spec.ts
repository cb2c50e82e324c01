import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildDigitalLink } from './digital-link.js';
import { type LabelContent, writeLabelSheet } from './label-sheet.js';
import { LabelSheetException } from './label-sheet.exception.js';
import { newSerial } from './serial-number.js';

const GTIN = '09506000134352';

function* labels(count: number, extra: { lot?: string; expiry?: string } = {}): Generator<LabelContent> {
  for (let index = 0; index < count; index += 1) {
    const serial = newSerial();
    yield { uri: buildDigitalLink({ gtin: GTIN, serial, ...extra }), gtin: GTIN, serial, ...extra };
  }
}

class CollectingSink extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    done();
  }
  get pdf(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Counts bytes and page objects as they stream by, keeping nothing but a few bytes of overlap. */
class CountingSink extends Writable {
  bytes = 0;
  pageObjects = 0;
  private tail = '';
  constructor(private readonly onChunk: () => void = () => undefined) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    const text = this.tail + chunk.toString('latin1');
    // A pattern straddling two chunks is counted once: the tail is too short to hold a whole match.
    this.pageObjects += (text.match(/\/Type \/Page\b(?!s)/g) ?? []).length - (this.tail.match(/\/Type \/Page\b(?!s)/g) ?? []).length;
    this.tail = text.slice(-11);
    this.onChunk();
    done();
  }
}

/** A sink that completes each write a turn of the event loop later, and records its largest backlog. */
class SlowSink extends Writable {
  bytes = 0;
  largestBacklog = 0;
  constructor() {
    super({ highWaterMark: 16 * 1024 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.largestBacklog = Math.max(this.largestBacklog, this.writableLength);
    this.bytes += chunk.length;
    setImmediate(done);
  }
}

/** The text shown by every `[...] TJ` of every (inflated) content stream, one entry per TJ. */
function pdfTexts(pdf: Buffer): string[] {
  const texts: string[] = [];
  const source = pdf.toString('latin1');
  for (const match of source.matchAll(/stream\n([\s\S]*?)\nendstream/g)) {
    const raw = Buffer.from(match[1] ?? '', 'latin1');
    let content: string;
    try {
      content = inflateSync(raw).toString('latin1');
    } catch {
      content = raw.toString('latin1');
    }
    for (const array of content.matchAll(/\[([^\]]*)\] TJ/g)) {
      const hex = [...(array[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((part) => part[1] ?? '').join('');
      texts.push(Buffer.from(hex, 'hex').toString('latin1'));
    }
  }
  return texts;
}

function pageObjects(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

/** The collector, exposed at run time: measuring what a sheet keeps alive needs a collection first. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('writeLabelSheet', () => {
  it('writes a one-page PDF whose text has the human-readable lines of every label, and the title', async () => {
    const sink = new CollectingSink();
    const sheet = [...labels(5, { lot: 'LOT-2026/7', expiry: '271231' })];
    const result = await writeLabelSheet(sheet, sink, { title: 'Lot LOT-2026/7' });
    expect(result).toEqual({ pages: 1, labels: 5 });
    expect(sink.writableFinished).toBe(true);
    const pdf = sink.pdf;
    expect(pdf.toString('latin1', 0, 5)).toBe('%PDF-');
    expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pageObjects(pdf)).toBe(1);
    const texts = pdfTexts(pdf);
    expect(texts).toContain('Lot LOT-2026/7 - page 1');
    for (const label of sheet) {
      expect(texts).toContain(`(01) ${GTIN}`);
      expect(texts).toContain('(10) LOT-2026/7');
      expect(texts).toContain(`(21) ${label.serial}`);
      expect(texts).toContain('(17) 271231');
    }
    expect(texts.filter((text) => text.startsWith('(21) '))).toHaveLength(5);
  });

  it('draws each QR code as vector rectangles, embedding no image', async () => {
    const sink = new CollectingSink();
    await writeLabelSheet(labels(2), sink);
    const source = sink.pdf.toString('latin1');
    expect(source).not.toContain('/Subtype /Image');
    const contents = [...source.matchAll(/stream\n([\s\S]*?)\nendstream/g)].map((match) => {
      try {
        return inflateSync(Buffer.from(match[1] ?? '', 'latin1')).toString('latin1');
      } catch {
        return '';
      }
    });
    expect(contents.join('\n')).toMatch(/(\d+ \d+ \d+ 1 re\n){20,}/);
  });

  it('fills pages of 3 × 8 on A4, or the grid asked for on Letter', async () => {
    const a4 = new CollectingSink();
    expect(await writeLabelSheet(labels(49), a4)).toEqual({ pages: 3, labels: 49 });
    expect(pageObjects(a4.pdf)).toBe(3);
    expect(a4.pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');

    const letter = new CollectingSink();
    expect(await writeLabelSheet(labels(30), letter, { pageSize: 'LETTER', labelsPerRow: 3, rowsPerPage: 10 })).toEqual({ pages: 1, labels: 30 });
    expect(pageObjects(letter.pdf)).toBe(1);
    expect(letter.pdf.toString('latin1')).toContain('/MediaBox [0 0 612 792]');
  });

  it('takes an async iterable, and writes one empty page for no labels', async () => {
    async function* slowly(): AsyncGenerator<LabelContent> {
      for (const label of labels(3)) {
        await new Promise((resolve) => setImmediate(resolve));
        yield label;
      }
    }
    expect(await writeLabelSheet(slowly(), new CollectingSink())).toEqual({ pages: 1, labels: 3 });
    const empty = new CollectingSink();
    expect(await writeLabelSheet([], empty)).toEqual({ pages: 1, labels: 0 });
    expect(pageObjects(empty.pdf)).toBe(1);
  });

  it('leaves the output open when asked to', async () => {
    const sink = new CollectingSink();
    await writeLabelSheet(labels(1), sink, { end: false });
    expect(sink.writableEnded).toBe(false);
    sink.end();
  });

  it('refuses a label whose printed keys differ from its URI', async () => {
    const [label] = [...labels(1)];
    const wrong = { ...label!, serial: newSerial() };
    const failure = writeLabelSheet([label!, wrong], new CollectingSink());
    await expect(failure).rejects.toThrow(LabelSheetException);
    await expect(failure).rejects.toThrow('label 2: the serial printed differ');
    await expect(writeLabelSheet([{ ...label!, lot: 'L1' }], new CollectingSink())).rejects.toMatchObject({ reason: 'label-mismatch' });
    await expect(writeLabelSheet([{ ...label!, uri: 'https://id.gs1.org/01/123' }], new CollectingSink())).rejects.toMatchObject({ reason: 'bad-gtin' });
  });

  it('refuses grids whose QR codes would be too small to scan', async () => {
    await expect(writeLabelSheet([], new CollectingSink(), { labelsPerRow: 0 })).rejects.toMatchObject({ reason: 'bad-layout' });
    await expect(writeLabelSheet([], new CollectingSink(), { labelsPerRow: 6, rowsPerPage: 20 })).rejects.toMatchObject({ reason: 'bad-layout' });
  });

  it('fails when the output fails', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, done) {
        done(new Error('disk full'));
      },
    });
    await expect(writeLabelSheet(labels(100), broken)).rejects.toThrow('disk full');
  });

  it('waits for a slow output to drain instead of buffering the whole sheet', async () => {
    const sink = new SlowSink();
    const result = await writeLabelSheet(labels(2_000), sink);
    expect(result).toEqual({ pages: 84, labels: 2_000 });
    // The whole sheet is most of a megabyte; the backlog never exceeds about a page (~12 kB) more
    // than the sink's 16 kB high-water mark.
    expect(sink.bytes).toBeGreaterThan(700_000);
    expect(sink.largestBacklog).toBeLessThan(128 * 1024);
  });

  it('streams 20,000 labels in bounded memory', async () => {
    const gc = collector();
    gc();
    const before = process.memoryUsage().heapUsed;
    let writes = 0;
    let peak = 0;
    const sink = new CountingSink(() => {
      writes += 1;
      if (writes % 2_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
    });
    const result = await writeLabelSheet(labels(20_000, { lot: 'LOT-2026-0001', expiry: '271200' }), sink);
    gc();
    const after = process.memoryUsage().heapUsed - before;
    expect(result).toEqual({ pages: 834, labels: 20_000 });
    expect(sink.pageObjects).toBe(834);
    // The sheet is about 10 MB; what stays alive while streaming is a page and PDFKit's
    // cross-reference table (a few bytes per object).
    expect(sink.bytes).toBeGreaterThan(8_000_000);
    // Measured: about 1 MB at the peak, nothing after.
    expect(peak).toBeLessThan(32 * 1024 * 1024);
    expect(after).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);
});
