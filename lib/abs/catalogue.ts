import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../project-root';
import { decodeCatalogue, type CatalogueContent } from './catalogue-format';
import type { InstanceTypeInfo } from './instance-type-info';

/** Where the committed catalogue lives, relative to the package root. */
export const CATALOGUE_RELATIVE_PATH = path.join('data', 'instance-catalogue.json');

/** A catalogue older than this many days earns a warning. */
export const CATALOGUE_MAX_AGE_DAYS = 90;

/** The offline instance-type catalogue: what each type offers, where, and at what price. */
export interface InstanceCatalogue extends CatalogueContent {
  /** The same types as `types`, by name. */
  readonly byName: ReadonlyMap<string, InstanceTypeInfo>;
}

let cached: InstanceCatalogue | undefined;

/**
 * The committed catalogue, read once per process on first use. The file is found from the package
 * root, so this works from the sources (ts-jest, ts-node) and from compiled code under dist/.
 */
export function defaultCatalogue(): InstanceCatalogue {
  cached ??= loadCatalogue(path.join(packageRoot(), CATALOGUE_RELATIVE_PATH));
  return cached;
}

/** Reads a catalogue file; throws an Error naming the file when it is missing or malformed. */
export function loadCatalogue(file: string): InstanceCatalogue {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the instance catalogue ${file}: ${(error as Error).message} (build it with 'npm run catalogue')`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  return catalogueFrom(decodeCatalogue(json, file));
}

/** Wraps catalogue content (e.g. a test fixture) with its name index. */
export function catalogueFrom(content: CatalogueContent): InstanceCatalogue {
  return { ...content, byName: new Map(content.types.map((t) => [t.name, t])) };
}

/** Whole days from the catalogue's data date (UTC midnight) to `now`; negative if `now` is earlier. */
export function catalogueAgeDays(now: Date, catalogue: InstanceCatalogue = defaultCatalogue()): number {
  const dataDate = Date.parse(`${catalogue.dataDate}T00:00:00Z`);
  return Math.floor((now.getTime() - dataDate) / 86_400_000);
}

/** A one-line warning when the catalogue's facts are older than CATALOGUE_MAX_AGE_DAYS at `now`. */
export function catalogueAgeWarning(now: Date, catalogue: InstanceCatalogue = defaultCatalogue()): string | undefined {
  const age = catalogueAgeDays(now, catalogue);
  if (age <= CATALOGUE_MAX_AGE_DAYS) return undefined;
  return `the instance-type catalogue is ${age} days old (data of ${catalogue.dataDate}); new instance types and prices are missing from the preview: refresh it as data/README.md describes`;
}
