#!/usr/bin/env node
// Writes prisma/postgres/schema.prisma from prisma/schema.prisma (the source). A Prisma datasource cannot
// switch provider at run time, so PostgreSQL gets its own copy in which only the datasource provider and the
// generated client's folder differ (the output path is relative to the schema file, hence two edits).
//
//   node prisma/derive-postgres.mjs           write the derived schema
//   node prisma/derive-postgres.mjs --check   exit 1 if the derived schema is missing or out of date
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const prismaDir = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE = path.join(prismaDir, "schema.prisma");
export const DERIVED = path.join(prismaDir, "postgres", "schema.prisma");

const HEADER = `// GENERATED from prisma/schema.prisma by prisma/derive-postgres.mjs. Do not edit: change the source,
// then run \`npm run db:derive\`. \`npm run db:check\` fails while this file is out of date.
`;

/** The derived text for a given source text. Throws when the source no longer has the lines we rewrite. */
export function derivePostgresSchema(source) {
  const replacements = [
    [/(datasource\s+\w+\s*\{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"'],
    [/(generator\s+\w+\s*\{[^}]*output\s*=\s*)"\.\.\/app\/generated\/sqlite"/, '$1"../../app/generated/postgres"'],
  ];
  let derived = source;
  for (const [pattern, replacement] of replacements) {
    if (!pattern.test(derived)) throw new Error(`prisma/schema.prisma: expected to find ${pattern}`);
    derived = derived.replace(pattern, replacement);
  }
  return HEADER + derived;
}

/** Returns a list of problems (empty when the derived schema matches the source). */
export function checkDerived(sourceFile = SOURCE, derivedFile = DERIVED) {
  const expected = derivePostgresSchema(fs.readFileSync(sourceFile, "utf8"));
  if (!fs.existsSync(derivedFile)) return [`${path.relative(process.cwd(), derivedFile)} is missing`];
  return fs.readFileSync(derivedFile, "utf8") === expected
    ? []
    : [`${path.relative(process.cwd(), derivedFile)} has drifted from ${path.relative(process.cwd(), sourceFile)}`];
}

function main(args) {
  if (args.includes("--check")) {
    const problems = checkDerived();
    for (const problem of problems) console.error(`✗ ${problem}. Run \`npm run db:derive\`.`);
    if (!problems.length) console.log("✓ prisma/postgres/schema.prisma matches prisma/schema.prisma");
    return problems.length ? 1 : 0;
  }
  fs.mkdirSync(path.dirname(DERIVED), { recursive: true });
  fs.writeFileSync(DERIVED, derivePostgresSchema(fs.readFileSync(SOURCE, "utf8")));
  console.log(`wrote ${path.relative(process.cwd(), DERIVED)}`);
  return 0;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
