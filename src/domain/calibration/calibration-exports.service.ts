import PDFDocument from 'pdfkit';
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { participantName, sessionFacts } from './calibration.service.ts';
import { loadResults, revealedSession } from './calibration-results.service.ts';
import { exportFileName, formatFigure, ratingsCsv, summaryCsv, type RatingLine } from './calibration-exports.rules.ts';
import type { CalibrationResults, Share } from './calibration.types.ts';
import { PARTICIPANT_GROUP_LABELS } from './calibration.types.ts';

/**
 * Exports of a revealed session: every rating or the summary as CSV, or a
 * paginated PDF report (title, facts, agreement with intervals, alignment,
 * most divergent items). Each export is written to the audit log in the
 * request's transaction.
 */

export type ExportFormat = 'csv' | 'pdf';
export type ExportTable = 'ratings' | 'summary';

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: string | Buffer;
}

export async function exportSession(trx: Executor, actor: Actor, sessionId: string, format: ExportFormat, table: ExportTable = 'summary'): Promise<ExportFile> {
  const session = await revealedSession(trx, actor, sessionId);
  const loaded = await loadResults(trx, session);
  const names = new Map(loaded.participants.map((p, i) => [p.id, { name: participantName(p, i), group: p.participant_group }]));
  const items = new Map(loaded.items.map((i) => [i.id, i]));
  let file: ExportFile;
  let rows: number;
  if (format === 'csv' && table === 'ratings') {
    const lines: RatingLine[] = loaded.ratings
      .map((r) => {
        const item = items.get(r.item_id)!;
        return {
          position: item.position,
          ref: item.external_ref ?? String(item.position),
          participant: names.get(r.participant_id)?.name ?? 'Participant',
          group: names.get(r.participant_id)?.group ?? '',
          label: r.label_category,
          action: r.action,
          expertLabel: item.expert_action === null ? null : [...new Set(item.expert_labels ?? [])].sort().join('+') || 'none',
          expertAction: item.expert_action,
        };
      })
      .sort((a, b) => a.position - b.position || a.participant.localeCompare(b.participant));
    rows = lines.length;
    file = { fileName: exportFileName(session.title, session.id, 'ratings', 'csv'), contentType: 'text/csv; charset=utf-8', body: ratingsCsv(lines) };
  } else if (format === 'csv') {
    const body = summaryCsv(loaded.results);
    rows = body.split('\r\n').length - 2;
    file = { fileName: exportFileName(session.title, session.id, 'summary', 'csv'), contentType: 'text/csv; charset=utf-8', body };
  } else {
    rows = loaded.results.alignment.length;
    file = { fileName: exportFileName(session.title, session.id, 'report', 'pdf'), contentType: 'application/pdf', body: await pdfReport(sessionFacts(session), loaded.results) };
  }
  await audit(trx, actor, {
    action: 'calibration.export', entityType: 'calibration_session', entityId: session.id, vendorId: session.vendor_id,
    details: { format, table: format === 'csv' ? table : 'report', rows, fileName: file.fileName },
  });
  return file;
}

const pct = (s: Share | null | undefined) => (s && s.value !== null ? `${(100 * s.value).toFixed(1)}% [${(100 * s.lower).toFixed(1)}, ${(100 * s.upper).toFixed(1)}] n=${s.n}` : 'n/a');

/** A simple paginated table: a header row, then rows; a new page (header repeated) when the page is full. */
function table(doc: PDFKit.PDFDocument, columns: Array<{ title: string; width: number }>, rows: string[][]): void {
  const left = doc.page.margins.left;
  const drawRow = (cells: string[], bold: boolean) => {
    const heights = cells.map((c, i) => doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8).heightOfString(c, { width: columns[i]!.width - 4 }));
    const h = Math.max(...heights) + 4;
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (!bold) drawRow(columns.map((c) => c.title), true);
    }
    const y = doc.y;
    let x = left;
    cells.forEach((c, i) => {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8).text(c, x + 2, y + 2, { width: columns[i]!.width - 4 });
      x += columns[i]!.width;
    });
    doc.moveTo(left, y + h).lineTo(x, y + h).lineWidth(0.3).strokeColor('#999999').stroke();
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(columns.map((c) => c.title), true);
  for (const r of rows) drawRow(r, false);
  doc.moveDown(1);
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  if (doc.y > doc.page.height - doc.page.margins.bottom - 80) doc.addPage();
  doc.x = doc.page.margins.left;
  doc.font('Helvetica-Bold').fontSize(12).fillColor('#222222').text(text).moveDown(0.3);
}

export function pdfReport(facts: ReturnType<typeof sessionFacts>, results: CalibrationResults): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, bufferPages: true, info: { Title: `Calibration: ${facts.title}`, Author: 'Assay' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).text(`Calibration: ${facts.title}`).moveDown(0.3);
  doc.font('Helvetica').fontSize(9).fillColor('#444444');
  const factLines = [
    facts.kind === 'imported' ? `Imported external ratings (field: ${facts.ratingField ?? 'label'})` : `Workflow: ${facts.workflowName ?? '—'}`,
    `Owner: ${facts.vendorName ?? 'Whole organisation'} · created by ${facts.createdByLabel} on ${facts.createdAt.slice(0, 10)}`,
    `Closed: ${facts.closedAt?.slice(0, 10) ?? '—'} · ${facts.items} items · ${facts.participants} participants (${facts.submitted} submitted)`,
    'Figures: Krippendorff alpha (nominal; missing ratings allowed) and Gwet AC1 with 95% t-intervals; percent agreement; shares with 95% Wilson intervals.',
  ];
  for (const line of factLines) doc.text(line);
  doc.fillColor('#000000').moveDown(1);

  heading(doc, 'Agreement');
  const agreementRows: string[][] = [];
  const addField = (scope: string, field: string, a: CalibrationResults['label'] | null) => {
    if (!a) return;
    agreementRows.push([scope, field, formatFigure(a.alpha), formatFigure(a.ac1), formatFigure(a.percent), `${a.items} / ${a.ratings}`]);
  };
  addField('All participants', 'Label', results.label);
  addField('All participants', 'Action', results.action);
  for (const g of results.groups) {
    addField(PARTICIPANT_GROUP_LABELS[g.group], 'Label', g.label);
    addField(PARTICIPANT_GROUP_LABELS[g.group], 'Action', g.action);
  }
  table(doc, [{ title: 'Who', width: 95 }, { title: 'Field', width: 45 }, { title: 'Alpha [95% CI]', width: 100 }, { title: 'AC1 [95% CI]', width: 100 }, { title: 'Percent agreement', width: 99 }, { title: 'Items / ratings', width: 60 }], agreementRows);

  heading(doc, 'Participants against the expert answer');
  table(
    doc,
    [{ title: 'Participant', width: 130 }, { title: 'Group', width: 80 }, { title: 'Rated', width: 40 }, { title: 'Label matches expert', width: 125 }, { title: 'Action matches expert', width: 124 }],
    results.alignment.map((a) => [a.name + (a.vendorName ? ` (${a.vendorName})` : ''), PARTICIPANT_GROUP_LABELS[a.group], String(a.rated), pct(a.label), a.action ? pct(a.action) : '—']),
  );

  if (results.questions.length > 0) {
    heading(doc, 'Scorecard questions');
    table(
      doc,
      [{ title: 'Question', width: 200 }, { title: 'Percent agreement', width: 100 }, { title: 'Alpha', width: 99 }, { title: 'Matches expert', width: 100 }],
      results.questions.map((q) => [q.text, formatFigure(q.percent), formatFigure(q.alpha), q.expertMatch ? pct(q.expertMatch) : '—']),
    );
  }

  heading(doc, 'Most divergent items');
  table(
    doc,
    [{ title: 'Item', width: 60 }, { title: 'Ratings', width: 45 }, { title: 'Pair agreement', width: 70 }, { title: 'Entropy (bits)', width: 65 }, { title: 'Expert', width: 90 }, { title: 'Answers', width: 169 }],
    results.divergentItems.map((d) => [
      `${d.position} (${d.ref})`, String(d.ratings), d.labelAgreement === null ? '—' : `${(100 * d.labelAgreement).toFixed(0)}%`, d.labelEntropy.toFixed(2), d.expertLabel ?? '—',
      Object.entries(d.distribution).map(([k, v]) => `${k}: ${v}`).join(', '),
    ]),
  );

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor('#666666').text(`Assay calibration report · ${facts.title} · page ${i + 1} of ${range.count}`, doc.page.margins.left, doc.page.height - 30, { width: doc.page.width - doc.page.margins.left - doc.page.margins.right, align: 'center' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
