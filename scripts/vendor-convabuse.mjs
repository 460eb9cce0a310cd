#!/usr/bin/env node
// Regenerates src/demo/data/convabuse-turns.json, the subset of ConvAbuse user
// turns the demo uses as comment text, from ../shared/data/convabuse (the
// ConvAbuse release: Cercas Curry, Abercrombie & Rieser, EMNLP 2021, CC-BY-4.0).
//
//   node scripts/vendor-convabuse.mjs [path/to/convabuse]
//
// Deterministic: the same release gives byte-identical output. Every distinct
// turn a majority of its annotators called abusive (is_abuse -1..-3) is kept,
// then non-abusive turns (picked by a hash of their text) fill up to TOTAL.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TOTAL = 1500;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(process.argv[2] ?? join(root, '..', 'shared', 'data', 'convabuse'));
const target = join(root, 'src', 'demo', 'data', 'convabuse-turns.json');
const SPLITS = ['train', 'valid', 'test'];
const SCALE = [1, 0, -1, -2, -3]; // is_abuse.1 (not abusive) .. is_abuse.-3 (very strongly abusive)
const TYPES = ['ableist', 'homophobic', 'intellectual', 'racist', 'sexist', 'sex_harassment', 'transphobic'];
const BLOCK = 17; // per annotator: 5 is_abuse columns, 7 types, 3 targets, 2 directness
const FIRST_BLOCK = 7;

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += ch;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

// Repeat annotations (intra-annotator agreement) are stored as "1, 1": the first answer counts.
const flag = (cell) => cell !== '' && Number(cell.split(',')[0]) === 1;

const byText = new Map();
for (const split of SPLITS) {
  const [, ...rows] = parseCsv(readFileSync(join(source, `ConvAbuseEMNLP${split}.csv`), 'utf8'));
  for (const row of rows) {
    if (row.length < FIRST_BLOCK + BLOCK) continue;
    const text = row[5].replace(/\s+/g, ' ').trim();
    if (text.length < 4 || !/[a-z]/i.test(text)) continue;
    const ratings = [];
    const types = new Map();
    for (let start = FIRST_BLOCK; start + BLOCK <= row.length; start += BLOCK) {
      const cells = row.slice(start, start + BLOCK);
      const answer = cells.slice(0, 5).findIndex(flag);
      if (answer < 0) continue;
      ratings.push(SCALE[answer]);
      TYPES.forEach((type, i) => flag(cells[5 + i]) && types.set(type, (types.get(type) ?? 0) + 1));
    }
    if (ratings.length === 0) continue;
    const entry = byText.get(text) ?? { id: Math.round(Number(row[0])), text, ratings: [], types: new Map() };
    entry.ratings.push(...ratings);
    for (const [type, n] of types) entry.types.set(type, (entry.types.get(type) ?? 0) + n);
    byText.set(text, entry);
  }
}

const turns = [...byText.values()].map((e) => {
  const abusive = e.ratings.filter((r) => r < 0).length * 2 > e.ratings.length;
  const type = [...e.types].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
  return {
    id: e.id,
    text: e.text,
    isAbuse: abusive,
    // Mean rating on the 1..-3 scale over every annotation of the text.
    severity: Math.round((e.ratings.reduce((s, r) => s + r, 0) / e.ratings.length) * 100) / 100,
    annotators: e.ratings.length,
    type: abusive ? type : null,
  };
});
const hash = (t) => createHash('sha256').update(t.text).digest('hex');
const abusive = turns.filter((t) => t.isAbuse).sort((a, b) => a.id - b.id);
const clean = turns
  .filter((t) => !t.isAbuse && t.text.length >= 8)
  .sort((a, b) => (hash(a) < hash(b) ? -1 : 1))
  .slice(0, Math.max(0, TOTAL - abusive.length))
  .sort((a, b) => a.id - b.id);
const out = [...abusive, ...clean].sort((a, b) => a.id - b.id);

const body = `[\n${out.map((t) => JSON.stringify(t)).join(',\n')}\n]\n`;
writeFileSync(target, body);
console.log(`Wrote ${out.length} turns (${abusive.length} abusive) to ${target}.`);
