/**
 * Print-ready PDF label sheets, streamed: one QR code per label, drawn as vector rectangles from
 * the QR matrix, beside the GS1 human-readable interpretation `(01) GTIN`, `(10) LOT`, `(21) SERIAL`
 * and `(17) EXPIRY`. Defaults: A4, 3 × 8 labels of 63.2 × 33.9 mm inside 10 mm side and 13 mm top and
 * bottom margins (the grid of common 24-up label stock).
 *
 * Streaming: labels are drawn as they arrive and never collected; PDFKit writes each page out when
 * the next begins; and before starting a page the writer waits until everything so far has been
 * handed to `out` and `out` has drained. So memory stays at about one page however many labels a
 * lot has.
 */
import { once } from 'node:events';
import PDFDocument from 'pdfkit';
import { parseDigitalLink } from './digital-link.js';
import { parseGtin } from './gtin.js';
import { LabelSheetException } from './label-sheet.exception.js';
import { QR_QUIET_ZONE, qrFriendlyUri, qrSymbol } from './qr-code.js';

export interface LabelContent {
  /** The GS1 Digital Link the QR code carries (its scheme and host are upper-cased for a smaller code). */
  readonly uri: string;
  readonly gtin: string;
  readonly lot?: string;
  readonly serial: string;
  /** YYMMDD. */
  readonly expiry?: string;
}

export interface LabelSheetOptions {
  /** Printed in the top margin of every page with the page number (standard PDF font: Latin-1 only). */
  readonly title?: string;
  readonly labelsPerRow?: number;
  readonly rowsPerPage?: number;
  readonly pageSize?: 'A4' | 'LETTER';
  /** End `out` once the sheet is written (default true, as `pipe` does). */
  readonly end?: boolean;
}

export interface LabelSheetResult {
  readonly pages: number;
  readonly labels: number;
}

const POINTS_PER_MM = 72 / 25.4;
const PAGE_SIZES = { A4: [595.28, 841.89], LETTER: [612, 792] } as const;
const SIDE_MARGIN = 10 * POINTS_PER_MM;
const TOP_MARGIN = 13 * POINTS_PER_MM;
/** Below this a QR code's modules get too small for phone cameras at a normal distance. */
const MIN_QR_SIDE = 15 * POINTS_PER_MM;
/** Courier's advance width, in em, for every glyph. */
const COURIER_ADVANCE = 0.6;
const MAX_FONT_SIZE = 8;

interface Layout {
  readonly pageSize: readonly [number, number];
  readonly perRow: number;
  readonly perPage: number;
  readonly cellWidth: number;
  readonly cellHeight: number;
  readonly padding: number;
  readonly qrSide: number;
}

export async function writeLabelSheet(
  labels: AsyncIterable<LabelContent> | Iterable<LabelContent>,
  out: NodeJS.WritableStream,
  options: LabelSheetOptions = {},
): Promise<LabelSheetResult> {
  const layout = labelLayout(options);
  const title = options.title === undefined ? undefined : latin1(options.title);
  const document = new PDFDocument({
    size: [...layout.pageSize],
    margin: 0,
    autoFirstPage: false,
    info: { Title: options.title ?? 'Traceport labels', Creator: 'Traceport', Producer: 'Traceport' },
  });
  const forwarder = new StreamForwarder(document, out);
  let pages = 0;
  let count = 0;
  try {
    for await (const label of labels) {
      checkLabel(label, count + 1);
      const slot = count % layout.perPage;
      if (slot === 0) {
        // The previous page is written out when this one begins; let it reach `out` first.
        await forwarder.settled();
        pages += 1;
        startPage(document, layout, title, pages);
      }
      drawLabel(document, layout, slot, label);
      count += 1;
    }
    if (pages === 0) {
      pages = 1;
      startPage(document, layout, title, pages);
    }
    const ended = once(document, 'end');
    document.end();
    await ended;
    await forwarder.settled();
    if (options.end ?? true) await forwarder.endOutput();
  } finally {
    forwarder.detach();
  }
  return { pages, labels: count };
}

function labelLayout(options: LabelSheetOptions): Layout {
  const perRow = options.labelsPerRow ?? 3;
  const rows = options.rowsPerPage ?? 8;
  if (!Number.isInteger(perRow) || perRow < 1 || !Number.isInteger(rows) || rows < 1) {
    throw new LabelSheetException('bad-layout', `labels per row and rows per page are positive integers, not ${perRow} and ${rows}`);
  }
  const pageSize = PAGE_SIZES[options.pageSize ?? 'A4'];
  const cellWidth = (pageSize[0] - 2 * SIDE_MARGIN) / perRow;
  const cellHeight = (pageSize[1] - 2 * TOP_MARGIN) / rows;
  const padding = Math.min(cellWidth, cellHeight) * 0.06;
  const qrSide = Math.min(cellHeight - 2 * padding, cellWidth * 0.42);
  if (qrSide < MIN_QR_SIDE) {
    throw new LabelSheetException('bad-layout', `${perRow} × ${rows} labels leave ${(qrSide / POINTS_PER_MM).toFixed(1)} mm for a QR code; it needs 15 mm`);
  }
  return { pageSize, perRow, perPage: perRow * rows, cellWidth, cellHeight, padding, qrSide };
}

function checkLabel(label: LabelContent, position: number): void {
  const keys = parseDigitalLink(label.uri);
  const gtin = parseGtin(label.gtin);
  const mismatches = [
    !gtin.ok || gtin.gtin14 !== keys.gtin ? 'GTIN' : undefined,
    label.serial !== keys.serial ? 'serial' : undefined,
    label.lot !== keys.lot ? 'lot' : undefined,
    label.expiry !== keys.expiry ? 'expiry' : undefined,
  ].filter((field) => field !== undefined);
  if (mismatches.length > 0) {
    throw new LabelSheetException('label-mismatch', `label ${position}: the ${mismatches.join(', ')} printed differ from its URI ${label.uri}`);
  }
}

function startPage(document: PDFKit.PDFDocument, layout: Layout, title: string | undefined, page: number): void {
  document.addPage({ size: [...layout.pageSize], margin: 0 });
  if (title !== undefined) {
    document.font('Helvetica').fontSize(8).fillColor('black');
    document.text(`${title} - page ${page}`, SIDE_MARGIN, TOP_MARGIN / 2 - 4, { lineBreak: false });
  }
}

function drawLabel(document: PDFKit.PDFDocument, layout: Layout, slot: number, label: LabelContent): void {
  const left = SIDE_MARGIN + (slot % layout.perRow) * layout.cellWidth;
  const top = TOP_MARGIN + Math.floor(slot / layout.perRow) * layout.cellHeight;
  const qrLeft = left + layout.padding;
  const qrTop = top + (layout.cellHeight - layout.qrSide) / 2;
  drawQrCode(document, qrFriendlyUri(label.uri), qrLeft, qrTop, layout.qrSide);

  const lines = [
    `(01) ${label.gtin.padStart(14, '0')}`,
    ...(label.lot === undefined ? [] : [`(10) ${label.lot}`]),
    `(21) ${label.serial}`,
    ...(label.expiry === undefined ? [] : [`(17) ${label.expiry}`]),
  ];
  const textLeft = qrLeft + layout.qrSide + layout.padding / 2;
  const textWidth = left + layout.cellWidth - layout.padding - textLeft;
  const longest = Math.max(...lines.map((line) => line.length));
  const fontSize = Math.min(MAX_FONT_SIZE, textWidth / (COURIER_ADVANCE * longest), (layout.cellHeight - 2 * layout.padding) / (lines.length * 1.3));
  const lineHeight = fontSize * 1.3;
  let y = top + (layout.cellHeight - lines.length * lineHeight) / 2;
  document.font('Courier').fontSize(fontSize).fillColor('black');
  for (const line of lines) {
    document.text(line, textLeft, y, { lineBreak: false });
    y += lineHeight;
  }
}

/** Draws the dark modules as one path of row runs, in a coordinate system of modules, filled once. */
function drawQrCode(document: PDFKit.PDFDocument, text: string, left: number, top: number, side: number): void {
  const symbol = qrSymbol(text);
  const moduleSize = side / (symbol.size + 2 * QR_QUIET_ZONE);
  document.save();
  document.translate(left + QR_QUIET_ZONE * moduleSize, top + QR_QUIET_ZONE * moduleSize).scale(moduleSize);
  // One `re` operator per run of dark modules in a row, written in one piece: PDFKit's rect() per
  // run costs more than encoding the QR code itself.
  let path = '';
  for (let row = 0; row < symbol.size; row += 1) {
    let column = 0;
    while (column < symbol.size) {
      if (symbol.modules[row * symbol.size + column] === 1) {
        const start = column;
        while (column < symbol.size && symbol.modules[row * symbol.size + column] === 1) column += 1;
        path += `${start} ${row} ${column - start} 1 re\n`;
      } else {
        column += 1;
      }
    }
  }
  document.addContent(path.trimEnd());
  document.fill('black');
  document.restore();
}

/** Standard PDF fonts encode WinAnsi; anything else would print as garbage. */
function latin1(text: string): string {
  return text.replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');
}

/**
 * Forwards the PDF's bytes to `out`, remembering when `out` asked to wait (write returned false),
 * so the writer can pause between pages until it drains. Errors of `out` fail the writer.
 */
class StreamForwarder {
  private mustWait = false;
  private failure: unknown;
  private finished = false;
  private wake: (() => void) | undefined;

  private readonly onData = (chunk: Buffer): void => {
    try {
      if (!this.out.write(chunk)) this.mustWait = true;
    } catch (error) {
      this.fail(error);
    }
  };
  private readonly onDrain = (): void => {
    this.mustWait = false;
    this.wakeUp();
  };
  private readonly onError = (error: unknown): void => this.fail(error);
  private readonly onClose = (): void => {
    if (!this.finished) this.fail(new LabelSheetException('output-closed', 'the output stream closed before the label sheet was written'));
  };

  constructor(
    private readonly source: PDFKit.PDFDocument,
    private readonly out: NodeJS.WritableStream,
  ) {
    out.on('drain', this.onDrain);
    out.on('error', this.onError);
    out.on('close', this.onClose);
    source.on('data', this.onData);
  }

  /** Resolves once every byte produced so far is in `out` and `out` does not ask to wait. */
  async settled(): Promise<void> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      if (this.mustWait) {
        await new Promise<void>((resolve) => (this.wake = resolve));
      } else if (this.source.readableLength > 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else {
        return;
      }
    }
  }

  async endOutput(): Promise<void> {
    this.finished = true;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      this.out.end(() => resolve());
    });
    if (this.failure !== undefined) throw this.failure;
  }

  detach(): void {
    this.finished = true;
    this.source.off('data', this.onData);
    this.out.off('drain', this.onDrain);
    this.out.off('error', this.onError);
    this.out.off('close', this.onClose);
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
