import * as fs from 'node:fs';
import { Document, LineCounter, parseDocument, isNode } from 'yaml';

/** A field path inside a YAML document: mapping keys and list indexes. */
export type FieldPath = (string | number)[];
/** Reports one problem at a field path of the file being read. */
export type ReportProblem = (at: FieldPath, message: string) => void;

/** A parsed YAML file: its plain data, and the document that knows the line of every node. */
export interface ParsedFile {
  readonly file: string;
  readonly data: unknown;
  readonly doc: Document;
  readonly lines: LineCounter;
}


/** A problem line: `<file>:<line>: <field path>: <what is wrong and what is expected>`. */
export function problemAt(parsed: ParsedFile, fieldPath: readonly (string | number)[], message: string): string {
  const node = fieldPath.length === 0 ? parsed.doc.contents : parsed.doc.getIn(fieldPath, true);
  const where = isNode(node) && node.range ? `:${parsed.lines.linePos(node.range[0]).line}` : '';
  const field = fieldPath.length === 0 ? '(top level)' : formatPath(fieldPath);
  return `${parsed.file}${where}: ${field}: ${message}`;
}

/** `<file>:<line>` of the node at a field path (the file alone when the path has no node). */
export function locationOf(parsed: ParsedFile, fieldPath: readonly (string | number)[]): string {
  const node = fieldPath.length === 0 ? parsed.doc.contents : parsed.doc.getIn(fieldPath, true);
  return isNode(node) && node.range ? `${parsed.file}:${parsed.lines.linePos(node.range[0]).line}` : parsed.file;
}

export function formatPath(fieldPath: readonly (string | number)[]): string {
  return fieldPath.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function readYaml(file: string, displayName: string, problems: string[]): ParsedFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${displayName}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = lines.linePos(error.pos[0]).line;
      problems.push(`${displayName}:${line}: invalid YAML: ${error.message.split('\n')[0]}`);
    }
    return undefined;
  }
  return { file: displayName, data: doc.toJS() as unknown, doc, lines };
}
