import { createHash } from 'node:crypto';
import { WORDS, type Language, type Words } from './scan-page.i18n.js';
import type { ScanPageView, ShownRecord } from './scan-page.view.js';

// The consumer's page: server-rendered HTML that needs no JavaScript, small enough for a slow phone
// (one request, inline styles, no fonts or images), readable at 320 px. Every value is escaped.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (char) => ESCAPES[char]!);

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;color:#1b1f24;background:#f3f5f7}
main{max-width:40rem;margin:0 auto;padding:1rem}header{display:flex;justify-content:space-between;align-items:center;gap:1rem}
h1{font-size:1.35rem;margin:.5rem 0}h2{font-size:1.05rem;margin:0 0 .5rem}
section{background:#fff;border-radius:.75rem;padding:1rem;margin:.75rem 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .75rem;margin:0}dt{color:#57606a}dd{margin:0;overflow-wrap:anywhere}
ul{margin:0;padding-left:1.1rem}li{margin:.35rem 0}.muted{color:#57606a;font-size:.9rem}
.badge{display:inline-block;border-radius:1rem;padding:0 .6rem;font-size:.85rem;font-weight:600}
.ok{background:#dafbe1;color:#116329}.bad{background:#ffebe9;color:#a40e26}.wait{background:#fff8c5;color:#7d4e00}
.banner{border-left:.4rem solid #1a7f37}.alert{border-left:.4rem solid #cf222e;background:#fff5f5}
ol.timeline{list-style:none;padding:0;margin:0;border-left:2px solid #d0d7de}ol.timeline li{padding-left:.9rem;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-.42rem;top:.5rem;width:.7rem;height:.7rem;border-radius:50%;background:#0969da}
a{color:#0969da}code{font-size:.85rem;overflow-wrap:anywhere}footer{text-align:center;padding:1rem}
`;

/**
 * The scan page's Content-Security-Policy: nothing loads but its one inline style block, allowed by
 * hash (so no injected style or script could run even if escaping ever failed), and no one may
 * frame it to dress a counterfeit in a genuine page.
 */
export const SCAN_PAGE_CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

function page(language: Language, title: string, body: string, switchHref: string, words: Words): string {
  return `<!doctype html>
<html lang="${language === 'zh' ? 'zh-CN' : 'en'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${escape(title)}</title><style>${STYLE}</style></head>
<body><main>
<header><span class="muted">Traceport</span><a href="${escape(switchHref)}" hreflang="${language === 'zh' ? 'en' : 'zh-CN'}">${escape(words.language)}</a></header>
${body}
</main></body></html>`;
}

function row(label: string, value: unknown): string {
  return value === null || value === undefined || value === '' ? '' : `<dt>${escape(label)}</dt><dd>${escape(value)}</dd>`;
}

function statusBadge(kind: 'ok' | 'bad' | 'wait', text: string): string {
  return `<span class="badge ${kind}">${escape(text)}</span>`;
}

function date(value: string | null | undefined, language: Language): string {
  if (!value) return '';
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) return value;
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', ...(value.length > 10 ? { timeStyle: 'short', timeZone: 'UTC' } : { timeZone: 'UTC' }) }).format(parsed) + (value.length > 10 ? ' UTC' : '');
}

/** The CBV word after "BizStep-"/"Disp-", as people say it. */
function vocabulary(uri: string | null): string {
  if (uri === null) return '';
  return (uri.split(/[-:/]/).pop() ?? uri).replace(/_/g, ' ');
}

function recordLine(record: ShownRecord, words: Words): string {
  const proofHref = `/v1/proofs?record_key=${encodeURIComponent(record.record_key)}&download=true`;
  const anchor = record.proof?.anchor;
  const state = record.integrity === 'mismatch'
    ? statusBadge('bad', words.tampered)
    : anchor
    ? `${statusBadge('ok', words.anchored)} <span class="muted">${escape(words.block)} ${escape(anchor.block_number)} · ${escape(words.tx)} <code>${escape(anchor.tx_hash.slice(0, 18))}…</code></span>`
    : statusBadge('wait', words.pending);
  return `<li><code>${escape(record.type)}</code> ${state} · <a href="${escape(proofHref)}" download>${escape(words.downloadProof)}</a></li>`;
}

export function renderScanPage(view: ScanPageView, language: Language, switchHref: string): string {
  const words = WORDS[language];
  const sections: string[] = [];
  const cloned = view.scans.signals.length > 0;

  sections.push(`<h1>${escape(view.product.name)}</h1>`);
  const tampered = view.records.filter((record) => record.integrity === 'mismatch');
  if (tampered.length > 0) {
    sections.push(`<section class="alert" role="alert"><h2>${escape(words.tamperedWarning)}</h2><ul>${tampered.map((record) => `<li><code>${escape(record.record_key)}</code></li>`).join('')}</ul><p class="muted">${escape(words.tamperedAdvice)}</p></section>`);
  }
  const flags = view.control?.flags ?? [];
  if (flags.length > 0) {
    const items = flags
      .map((flag) => `<li><strong>${escape(flag.kind === 'recall' ? words.recall : words.hold)}</strong> · ${escape(flag.reason)} <span class="muted">${escape(words.since)} ${escape(date(flag.since, language))}</span></li>`)
      .join('');
    sections.push(`<section class="alert" role="alert" id="control"><h2>${escape(words.controlWarning)}</h2><ul>${items}</ul><p class="muted">${escape(words.controlAdvice)}</p></section>`);
  }
  sections.push(
    cloned
      ? `<section class="alert" role="alert"><h2>${escape(words.cloningWarning)}</h2><ul>${view.scans.signals.map((signal) => `<li>${escape(signal.message)}</li>`).join('')}</ul><p class="muted">${escape(words.cloningAdvice)}</p></section>`
      : `<section class="banner"><h2>${statusBadge('ok', words.genuine)}</h2><p class="muted">${escape(words.genuineDetail)}</p></section>`,
  );
  sections.push(`<section aria-labelledby="product"><h2 id="product">${escape(words.product)}</h2><dl>
${row(words.brand, view.brand?.name)}${row(words.merchant, view.merchant ? `${view.merchant.legalName} (${view.merchant.country})` : '')}
${row(words.gtin, view.product.gtin)}${row(words.serial, view.code.serial)}${row(words.category, view.product.category)}
${row(words.origin, view.product.originCountry)}${row(words.hsCode, view.product.hsCode)}</dl></section>`);

  if (view.factory !== null) {
    const certifications = view.factory.certifications
      .map((certification) => {
        const badge = certification.status === 'valid' ? statusBadge('ok', words.valid) : statusBadge('bad', certification.status === 'expired' ? words.expired : words.notYetValid);
        return `<li>${escape(certification.type)} — ${escape(certification.issuer)}, ${escape(certification.number)} ${badge} <span class="muted">${escape(words.validUntil)} ${escape(date(certification.validTo, language))}</span></li>`;
      })
      .join('');
    sections.push(`<section aria-labelledby="factory"><h2 id="factory">${escape(words.factory)}</h2><dl>${row(words.factory, view.factory.name)}${row(words.address, `${view.factory.address} (${view.factory.country})`)}</dl>
${certifications === '' ? '' : `<h2>${escape(words.certifications)}</h2><ul>${certifications}</ul>`}</section>`);
  }

  sections.push(`<section aria-labelledby="lot"><h2 id="lot">${escape(words.lot)}</h2><dl>${row(words.lotNumber, view.lot.lotNumber)}${row(words.produced, date(view.lot.productionDate, language))}
${row(words.expires, date(view.lot.expiryDate, language))}${row(words.quantity, view.lot.quantity.toLocaleString(language === 'zh' ? 'zh-CN' : 'en'))}</dl></section>`);

  const customs = view.customs
    .map(
      (declaration) =>
        `<li><strong>${escape(declaration.direction === 'export' ? words.export : words.import)}</strong> · ${escape(declaration.port)} · ${escape(date(declaration.date, language))}<br>
<span class="muted">${escape(words.declaration)} ${escape(declaration.declarationNumber)} · ${escape(words.status)} ${escape(declaration.status)}${declaration.quarantineCertificateNumber ? ` · ${escape(words.quarantine)} ${escape(declaration.quarantineCertificateNumber)}` : ''}</span></li>`,
    )
    .join('');
  sections.push(`<section aria-labelledby="customs"><h2 id="customs">${escape(words.customs)}</h2>${customs === '' ? `<p class="muted">${escape(words.noCustoms)}</p>` : `<ul>${customs}</ul>`}</section>`);

  const inspection = view.inspection;
  if (inspection === null) {
    sections.push(`<section aria-labelledby="inspection"><h2 id="inspection">${escape(words.inspection)}</h2><p class="muted">${escape(words.noDecision)}</p></section>`);
  } else {
    const outcomeWord = words[inspection.outcome as 'released' | 'held' | 'inspection-ordered'] ?? inspection.outcome;
    const outcomeKind = inspection.outcome === 'released' ? 'ok' : inspection.outcome === 'held' ? 'bad' : 'wait';
    const plan = inspection.plan === null ? '' : inspection.plan.inspectAll ? '100%' : `n = ${inspection.plan.sampleSize}, Ac ${inspection.plan.ac}, Re ${inspection.plan.re} (ISO 2859-1 ${inspection.plan.level}, AQL ${inspection.plan.aql}, ${inspection.plan.severity})`;
    const result = inspection.result;
    sections.push(`<section aria-labelledby="inspection"><h2 id="inspection">${escape(words.inspection)} ${statusBadge(outcomeKind, outcomeWord)}</h2><dl>
${row(words.decision, `${words[inspection.initialOutcome as 'released'] ?? inspection.initialOutcome} · ${date(inspection.decidedAt, language)}`)}${row(words.why, inspection.reason)}${row(words.plan, plan)}${row(words.agency, inspection.agency)}
${result === null ? '' : `${row(words.result, `${result.verdict === 'accepted' ? words.accepted : words.rejected} · ${date(result.recordedAt, language)}`)}${row(words.inspector, result.inspector)}${row(words.why, result.reason)}`}
</dl>${inspection.plan !== null && result === null ? `<p class="muted">${escape(words.awaitingResult)}</p>` : ''}</section>`);
  }

  const timeline = view.timeline
    .map((entry) => `<li><strong>${escape(vocabulary(entry.bizStep) || entry.eventType)}</strong> <span class="muted">${escape(vocabulary(entry.disposition))}</span><br><span class="muted">${escape(date(entry.eventTime, language))}${entry.location ? ` · ${escape(words.at)} ${escape(entry.location)}` : ''}</span></li>`)
    .join('');
  sections.push(`<section aria-labelledby="timeline"><h2 id="timeline">${escape(words.timeline)}</h2>${timeline === '' ? `<p class="muted">${escape(words.noEvents)}</p>` : `<ol class="timeline">${timeline}</ol>`}</section>`);

  sections.push(`<section aria-labelledby="scans"><h2 id="scans">${escape(words.scans)}</h2><dl>${row(words.scanCount, view.scans.scans)}${row(words.firstScan, date(view.scans.firstScanAt, language))}${row(words.regions, view.scans.regions.join(', '))}</dl></section>`);

  sections.push(`<section aria-labelledby="records"><h2 id="records">${escape(words.records)}</h2><p class="muted">${escape(words.recordsDetail)}</p><ul>${view.records.map((record) => recordLine(record, words)).join('')}</ul></section>`);
  sections.push(`<footer class="muted"><code>${escape(view.code.digitalLink)}</code></footer>`);
  return page(language, `${view.product.name} — ${words.title}`, sections.join('\n'), switchHref, words);
}

/** The page for a code Traceport never issued (or one that is not a product code at all). */
export function renderNotGenuinePage(code: string, language: Language, switchHref: string, malformed: boolean): string {
  const words = WORDS[language];
  return page(
    language,
    words.notGenuine,
    `<section class="alert" role="alert"><h1>${escape(words.notGenuine)}</h1><p>${escape(malformed ? words.malformed : words.notGenuineDetail)}</p><p>${escape(words.notGenuineAdvice)}</p><p class="muted"><code>${escape(code)}</code></p></section>`,
    switchHref,
    words,
  );
}
