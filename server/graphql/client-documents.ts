import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, print } from 'graphql';

/** The web client's sources, where its documents are written (`graphql(\`…\`)`, gql.tada). */
const WEB_SOURCES = fileURLToPath(new URL('../../web/src/', import.meta.url));

/**
 * The operations the platform's web client sends, each in graphql-js's printed form, read from its
 * sources: a `graphql(\`…\`)` template of plain text (no interpolation). The client sends each one
 * printed (`print(doc)`), so a document is one of them when its printed form is. Empty when the
 * sources are not there.
 */
export function webClientDocuments(dir = WEB_SOURCES): ReadonlySet<string> {
  let documents = read.get(dir);
  if (!documents) read.set(dir, (documents = readDocuments(dir)));
  return documents;
}

/** The plain-text `graphql(\`…\`)` templates of a source file, in order (one with interpolation is not a document). */
export function documentTexts(source: string): string[] {
  return [...source.matchAll(/\bgraphql\(`([^`]*)`\)/g)].map((m) => m[1]!).filter((text) => !text.includes('${'));
}

/** What each directory held when first read: the sources do not change under a running server. */
const read = new Map<string, ReadonlySet<string>>();

function readDocuments(dir: string): Set<string> {
  const documents = new Set<string>();
  let files: string[];
  try {
    files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
  } catch {
    return documents;
  }
  for (const file of files) {
    for (const text of documentTexts(readFileSync(`${dir}/${file}`, 'utf8'))) {
      try {
        documents.add(print(parse(text)));
      } catch {
        // Not a document (a template of another kind): not one of the client's operations.
      }
    }
  }
  return documents;
}
