/**
 * Builds the offline instance-type catalogue (data/instance-catalogue.json) from files of the form
 * the AWS CLI writes:
 *
 *   node dist/scripts/build-catalogue.js --types <file> [--types <file>...]
 *     --offerings <file-or-dir> [--offerings ...] [--prices <file>] [--data-date YYYY-MM-DD] --out <file>
 *
 * --types      `aws ec2 describe-instance-types` output: `{"InstanceTypes": [...]}` (one file per
 *              page is fine), a plain array of records, or an object keyed by InstanceType.
 * --offerings  `aws ec2 describe-instance-type-offerings --location-type region` output:
 *              `{"InstanceTypeOfferings": [...]}` or a plain array of {InstanceType, Location};
 *              a directory means every *.json file in it. The region is each entry's Location.
 * --prices     On-Demand prices: `{"prices": {"<region>": {"<type>": usdPerHour}}}`.
 * --data-date  The date of the facts. Default: the latest YYYY-MM-DD date in the README.md next to
 *              the first --types file (the shared data's README gives 2026-08-22).
 *
 * When the same type comes from several files, the first record wins (files in flag order).
 * A bad flag prints one line and exits 2.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../lib/errors';
import { exitOnError } from '../lib/fail';
import { encodeCatalogue, compareNames, type CatalogueContent } from '../lib/abs/catalogue-format';
import { instanceTypeFacts, type Ec2InstanceTypeJson, type InstanceTypeFacts } from '../lib/abs/ec2-instance-facts';
import type { InstanceTypeInfo } from '../lib/abs/instance-type-info';

export interface BuildOptions {
  readonly typesFiles: readonly string[];
  readonly offeringsPaths: readonly string[];
  readonly pricesFile?: string;
  readonly dataDate?: string;
  readonly out: string;
}

export interface BuildResult {
  readonly content: CatalogueContent;
  /** Things dropped or odd in the inputs, for the operator; never fatal. */
  readonly warnings: readonly string[];
}

const USAGE =
  'usage: build-catalogue --types <file> [--types ...] --offerings <file-or-dir> [--offerings ...] [--prices <file>] [--data-date YYYY-MM-DD] --out <file>';
const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses the command line; throws a one-line UserError for the first thing wrong. */
export function parseBuildArgs(argv: readonly string[]): BuildOptions {
  const typesFiles: string[] = [];
  const offeringsPaths: string[] = [];
  const single: { prices?: string; 'data-date'?: string; out?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UserError(`unexpected argument '${arg}' (${USAGE})`);
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (!['types', 'offerings', 'prices', 'data-date', 'out'].includes(flag)) {
      throw new UserError(`unknown flag '--${flag}' (expected --types, --offerings, --prices, --data-date or --out)`);
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') throw new UserError(`--${flag} needs a value`);
    if (flag === 'types') typesFiles.push(value);
    else if (flag === 'offerings') offeringsPaths.push(value);
    else {
      const key = flag as keyof typeof single;
      if (single[key] !== undefined) throw new UserError(`--${flag} given twice`);
      single[key] = value;
    }
  }
  if (typesFiles.length === 0) throw new UserError(`--types is required (${USAGE})`);
  if (offeringsPaths.length === 0) throw new UserError(`--offerings is required (${USAGE})`);
  if (single.out === undefined) throw new UserError(`--out is required (${USAGE})`);
  const dataDate = single['data-date'];
  if (dataDate !== undefined && !isIsoDate(dataDate)) throw new UserError(`--data-date '${dataDate}' is not a date (expected YYYY-MM-DD, e.g. 2026-08-22)`);
  return {
    typesFiles,
    offeringsPaths,
    out: single.out,
    ...(single.prices !== undefined ? { pricesFile: single.prices } : {}),
    ...(dataDate !== undefined ? { dataDate } : {}),
  };
}

/** Reads the inputs and assembles the catalogue; throws a UserError naming the file that is wrong. */
export function buildCatalogue(options: Omit<BuildOptions, 'out'>): BuildResult {
  const warnings: string[] = [];
  const facts = new Map<string, InstanceTypeFacts>();
  for (const file of options.typesFiles) {
    for (const record of readInstanceTypeRecords(file)) {
      const result = instanceTypeFacts(record);
      if (typeof result === 'string') warnings.push(`${file}: ${result}; skipped`);
      else if (!facts.has(result.name)) facts.set(result.name, result);
    }
  }
  if (facts.size === 0) throw new UserError(`${options.typesFiles.join(', ')}: no instance types found`);

  const offeringFiles = options.offeringsPaths.flatMap((p) => offeringFilesAt(p));
  const offeredIn = new Map<string, Set<string>>();
  const regions = new Set<string>();
  const undescribed = new Set<string>();
  for (const file of offeringFiles) {
    for (const { instanceType, region } of readOfferings(file)) {
      regions.add(region);
      if (!facts.has(instanceType)) {
        undescribed.add(instanceType);
        continue;
      }
      const set = offeredIn.get(instanceType) ?? new Set<string>();
      set.add(region);
      offeredIn.set(instanceType, set);
    }
  }
  if (undescribed.size > 0)
    warnings.push(
      `${undescribed.size} offered type(s) have no describe-instance-types record and were left out: ${[...undescribed].sort(compareNames).slice(0, 10).join(', ')}`,
    );

  const prices = options.pricesFile === undefined ? {} : readPrices(options.pricesFile);
  const pricedRegions = new Set<string>();
  let unknownPriced = 0;
  const pricesByType = new Map<string, Record<string, number>>();
  for (const region of Object.keys(prices).sort()) {
    for (const [instanceType, usd] of Object.entries(prices[region])) {
      if (!facts.has(instanceType)) {
        unknownPriced++;
        continue;
      }
      pricedRegions.add(region);
      pricesByType.set(instanceType, { ...(pricesByType.get(instanceType) ?? {}), [region]: usd });
    }
  }
  if (unknownPriced > 0) warnings.push(`${unknownPriced} price(s) for types without a describe-instance-types record were left out`);

  const types: InstanceTypeInfo[] = [...facts.values()]
    .map((f) => ({ ...f, regions: [...(offeredIn.get(f.name) ?? [])].sort(), onDemandPrices: pricesByType.get(f.name) ?? {} }))
    .sort((a, b) => compareNames(a.name, b.name));
  const notOffered = types.filter((t) => t.regions.length === 0).length;
  if (notOffered > 0) warnings.push(`${notOffered} type(s) are offered in none of the given regions`);

  const dataDate = options.dataDate ?? readmeDate(options.typesFiles[0]);
  const generatedFrom = [
    `aws ec2 describe-instance-types: ${options.typesFiles.map((f) => path.basename(f)).join(', ')} (${facts.size} types)`,
    `aws ec2 describe-instance-type-offerings --location-type region: ${options.offeringsPaths.map((p) => displayName(p)).join(', ')} (${regions.size} regions)`,
    ...(options.pricesFile !== undefined ? [`On-Demand Linux prices: ${path.basename(options.pricesFile)} (${pricedRegions.size} regions)`] : []),
  ].join('; ');
  return {
    content: {
      generatedFrom: `${generatedFrom}. Provenance and refresh: data/README.md`,
      dataDate,
      regions: [...regions].sort(),
      pricedRegions: [...pricedRegions].sort(),
      types,
    },
    warnings,
  };
}

/** The command: build, write `out`, print a summary line (and warnings on stderr). */
export function main(argv: readonly string[]): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options = parseBuildArgs(argv);
  const { content, warnings } = buildCatalogue(options);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  const text = encodeCatalogue(content);
  fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  const temporary = `${options.out}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, options.out);
  const size = Buffer.byteLength(text);
  process.stdout.write(
    `wrote ${options.out}: ${content.types.length} types, ${content.regions.length} regions, prices for ${content.pricedRegions.length} regions, data of ${content.dataDate}, ${(size / 1024).toFixed(0)} KiB\n`,
  );
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`${file}: cannot be read (does it exist?)`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not JSON (${(error as Error).message})`);
  }
}

function readInstanceTypeRecords(file: string): Ec2InstanceTypeJson[] {
  const json = readJson(file);
  if (Array.isArray(json)) return json as Ec2InstanceTypeJson[];
  if (isObject(json) && Array.isArray(json.InstanceTypes)) return json.InstanceTypes as Ec2InstanceTypeJson[];
  if (isObject(json) && Object.values(json).every(isObject)) {
    // The keyed form: the key is the type name when a record does not repeat it.
    return Object.entries(json).map(([name, record]) => ({ InstanceType: name, ...(record as Ec2InstanceTypeJson) }));
  }
  throw new UserError(`${file}: expected describe-instance-types output ({"InstanceTypes": [...]}, a list of records, or an object keyed by InstanceType)`);
}

function offeringFilesAt(p: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    throw new UserError(`${p}: cannot be read (does it exist?)`);
  }
  if (!stat.isDirectory()) return [p];
  const files = fs
    .readdirSync(p)
    .filter((f) => f.endsWith('.json'))
    .sort(compareNames)
    .map((f) => path.join(p, f));
  if (files.length === 0) throw new UserError(`${p}: no *.json offerings files in the directory`);
  return files;
}

function readOfferings(file: string): { instanceType: string; region: string }[] {
  const json = readJson(file);
  const entries = Array.isArray(json) ? json : isObject(json) && Array.isArray(json.InstanceTypeOfferings) ? json.InstanceTypeOfferings : undefined;
  if (entries === undefined)
    throw new UserError(`${file}: expected describe-instance-type-offerings output ({"InstanceTypeOfferings": [...]} or a list of {InstanceType, Location})`);
  return entries.map((entry: unknown, i: number) => {
    if (!isObject(entry) || typeof entry.InstanceType !== 'string' || typeof entry.Location !== 'string') {
      throw new UserError(`${file}: entry ${i} has no InstanceType and Location`);
    }
    if ((entry.LocationType !== undefined && entry.LocationType !== 'region') || !REGION.test(entry.Location)) {
      throw new UserError(`${file}: entry ${i} has Location '${entry.Location}', which is not a region (use --location-type region)`);
    }
    return { instanceType: entry.InstanceType, region: entry.Location };
  });
}

function readPrices(file: string): Record<string, Record<string, number>> {
  const json = readJson(file);
  const prices = isObject(json) ? json.prices : undefined;
  if (!isObject(prices)) throw new UserError(`${file}: expected {"prices": {"<region>": {"<type>": usdPerHour}}}`);
  for (const [region, byType] of Object.entries(prices)) {
    if (!REGION.test(region)) throw new UserError(`${file}: '${region}' is not a region name`);
    if (!isObject(byType) || !Object.values(byType).every((usd) => typeof usd === 'number' && usd > 0 && Number.isFinite(usd))) {
      throw new UserError(`${file}: prices for ${region} must be positive numbers (USD per hour) keyed by instance type`);
    }
  }
  return prices as Record<string, Record<string, number>>;
}

/** The latest ISO date in the README.md beside `typesFile`: the shared data's facts date. */
function readmeDate(typesFile: string): string {
  const readme = path.join(path.dirname(typesFile), 'README.md');
  const text = fs.existsSync(readme) ? fs.readFileSync(readme, 'utf8') : '';
  const dates = (text.match(/\b\d{4}-\d{2}-\d{2}\b/g) ?? []).filter(isIsoDate).sort();
  const latest = dates[dates.length - 1];
  if (latest === undefined) throw new UserError(`--data-date is required: no README.md with a YYYY-MM-DD date next to ${typesFile}`);
  return latest;
}

function isIsoDate(text: string): boolean {
  if (!ISO_DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function displayName(p: string): string {
  const base = path.basename(p);
  return fs.existsSync(p) && fs.statSync(p).isDirectory() ? `${base}/` : base;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    exitOnError(error);
  }
}
