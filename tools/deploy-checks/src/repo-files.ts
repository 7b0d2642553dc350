/** Reads the repository's deployment files for the checks: YAML (every document) and JSON. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

export function readText(...parts: string[]): string {
  return readFileSync(repoPath(...parts), 'utf8');
}

/** Every document of a YAML file, as plain objects; a syntax error fails with the file's name. */
export function readYamlDocuments(...parts: string[]): Record<string, unknown>[] {
  // Compose files use YAML 1.1 merge keys (`<<: *follower`), as docker-compose reads them.
  const docs = parseAllDocuments(readText(...parts), { merge: true });
  return docs.map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${parts.join('/')} document ${i + 1}: ${doc.errors[0]?.message}`);
    return doc.toJS() as Record<string, unknown>;
  });
}

export function readYaml<T = Record<string, unknown>>(...parts: string[]): T {
  const docs = readYamlDocuments(...parts);
  if (docs.length !== 1) throw new Error(`${parts.join('/')}: expected one document, found ${docs.length}`);
  return docs[0] as T;
}

export function readJson<T = Record<string, unknown>>(...parts: string[]): T {
  return JSON.parse(readText(...parts)) as T;
}

export function listFiles(...parts: string[]): string[] {
  return readdirSync(repoPath(...parts)).sort();
}

/** The metric names an app defines in its metrics file (`name: '...'` and the helpers' first argument). */
export function metricNamesDefinedIn(...parts: string[]): string[] {
  const source = readText(...parts);
  return [...new Set([...source.matchAll(/'(quorumkv_[a-z0-9_]+)'/g)].map((m) => m[1] as string))].sort();
}
