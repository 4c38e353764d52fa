import * as fs from 'node:fs';
import * as path from 'node:path';
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

/** A config file is a few KB; anything above this is not one (and would be slow to parse). */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
/** Aliases a config file may expand (YAML's "billion laughs" builds huge documents from a few). */
const MAX_ALIAS_COUNT = 50;
/** How deep mappings and lists may nest; the config's own schema is about ten levels deep. */
const MAX_NESTING = 64;

/**
 * Reads one config file, refusing what is not a small UTF-8 YAML text file in the config folder:
 * a directory, a symlink leading out of the folder, a file over 1 MB, binary content, a byte
 * order mark, an alias bomb or absurd nesting. Each is one problem line naming the file; nothing
 * here throws, so a hostile file is a config error (exit 2), never an internal error.
 */
export function readYaml(file: string, displayName: string, problems: string[]): ParsedFile | undefined {
  const text = readConfigText(file, displayName, problems);
  if (text === undefined) return undefined;
  const depth = nestingDepth(text);
  if (depth > MAX_NESTING) {
    problems.push(`${displayName}: nests mappings or lists ${depth} levels deep: a config file needs about 10 (is it generated?)`);
    return undefined;
  }
  const lines = new LineCounter();
  let doc: Document;
  let data: unknown;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const line = lines.linePos(error.pos[0]).line;
        problems.push(`${displayName}:${line}: invalid YAML: ${error.message.split('\n')[0]}`);
      }
      return undefined;
    }
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    problems.push(
      /alias/i.test(message)
        ? `${displayName}: expands YAML aliases more than ${MAX_ALIAS_COUNT} times (an alias bomb?): write the values out instead of repeating anchors`
        : `${displayName}: cannot be read as YAML (${message.split('\n')[0]})`,
    );
    return undefined;
  }
  return { file: displayName, data, doc, lines };
}

function readConfigText(file: string, displayName: string, problems: string[]): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
    if (stat.isSymbolicLink()) {
      const target = fs.realpathSync(file);
      const folder = fs.realpathSync(path.dirname(file));
      if (path.dirname(target) !== folder) {
        problems.push(`${displayName}: is a symbolic link to ${target}, outside the config folder: copy the file into ${path.dirname(file)}`);
        return undefined;
      }
      stat = fs.statSync(file);
    }
  } catch (error) {
    problems.push(`${displayName}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  if (!stat.isFile()) {
    problems.push(`${displayName}: is ${stat.isDirectory() ? 'a directory' : 'not a regular file'}: expected a YAML file`);
    return undefined;
  }
  if (stat.size > MAX_CONFIG_FILE_BYTES) {
    problems.push(`${displayName}: is ${(stat.size / 1024 / 1024).toFixed(1)} MB: a config file is at most 1 MB`);
    return undefined;
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    problems.push(`${displayName}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    problems.push(`${displayName}: starts with a UTF-8 byte order mark: save it as UTF-8 without BOM`);
    return undefined;
  }
  const text = bytes.toString('utf8');
  if (bytes.includes(0) || text.includes('\uFFFD')) {
    problems.push(`${displayName}: is not UTF-8 text (binary content): expected a YAML file`);
    return undefined;
  }
  return text;
}

/** The deepest nesting of flow collections ([ { ) or indentation steps, whichever is larger. */
function nestingDepth(text: string): number {
  let flow = 0;
  let deepest = 0;
  for (const ch of text) {
    if (ch === '[' || ch === '{') deepest = Math.max(deepest, ++flow);
    else if (ch === ']' || ch === '}') flow = Math.max(0, flow - 1);
  }
  const indents = new Set<number>();
  for (const line of text.split('\n')) {
    const match = /^( *)\S/.exec(line);
    if (match !== null) indents.add(match[1].length);
  }
  return Math.max(deepest, indents.size);
}
