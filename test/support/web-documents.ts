import { readFileSync } from 'node:fs';
import { documentTexts } from '../../server/graphql/client-documents';

/** The first document of a web client source file (`web/src/<file>`), as written there. */
export function webDocument(file: string): string {
  const [text] = documentTexts(readFileSync(new URL(`../../web/src/${file}`, import.meta.url), 'utf8'));
  if (text === undefined) throw new Error(`no document in web/src/${file}`);
  return text;
}
