import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Imports run one way: web / api / cli -> domain -> db. This reads every import and checks it. */
const root = path.resolve(import.meta.dirname, '../..');

function filesUnder(dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  specifiers.push(...[...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!));
  return specifiers.map((spec) => (spec.startsWith('.') ? path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec)) : spec));
}

function violations(dir: string, forbidden: (target: string) => boolean): string[] {
  return filesUnder(dir).flatMap((file) => importsOf(file).filter(forbidden).map((target) => `${file} -> ${target}`));
}

const inside = (...prefixes: string[]) => (target: string) => prefixes.some((prefix) => target === prefix || target.startsWith(`${prefix}/`) || target.startsWith(`${prefix}.`));

describe('layering', () => {
  it('db imports nothing above it', () => {
    expect(violations('src/db', inside('src/domain', 'src/api', 'src/cli', 'src/demo', 'src/app', 'web'))).toEqual([]);
  });

  it('domain imports neither the edges nor their frameworks', () => {
    const edge = inside('src/api', 'src/cli', 'src/demo', 'src/app', 'web');
    const frameworks = (target: string) => /^(fastify|@fastify\/|react|@mantine\/|commander|pino)/.test(target);
    expect(violations('src/domain', (t) => edge(t) || frameworks(t))).toEqual([]);
  });

  it('pure rules and access constants do no I/O', () => {
    const pureFiles = filesUnder('src/domain').filter((f) => f.endsWith('.rules.ts') || f.startsWith('src/domain/access/'));
    expect(pureFiles.length).toBeGreaterThan(2);
    const io = (target: string) => /^(node:fs|node:net|node:child_process|pg|kysely)/.test(target) || inside('src/db')(target);
    expect(pureFiles.flatMap((file) => importsOf(file).filter(io).map((t) => `${file} -> ${t}`))).toEqual([]);
  });

  it('the API does not reach into the CLI, and the web UI only into pure domain constants and declarations', () => {
    expect(violations('src/api', inside('src/cli', 'src/demo'))).toEqual([]);
    const declarations = (t: string) => t.startsWith('src/domain/') && t.endsWith('.types.ts');
    const webReach = violations('web/src', (t) => t.startsWith('src/') && !t.startsWith('src/domain/access/') && !declarations(t));
    expect(webReach).toEqual([]);
    // So a declarations module shared with the web cannot pull server code into the browser bundle.
    const declarationFiles = filesUnder('src/domain').filter(declarations);
    expect(declarationFiles.length).toBeGreaterThan(0);
    expect(declarationFiles.flatMap((file) => importsOf(file).map((t) => `${file} -> ${t}`))).toEqual([]);
  });
});
