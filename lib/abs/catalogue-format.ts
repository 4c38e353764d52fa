import { familyOf, type AcceleratorInfo, type Architecture, type InstanceTypeInfo, type LocalStorageInfo, type UsageClass } from './instance-type-info';
import type { AcceleratorType, LocalStorageType } from './requirements-json';

/**
 * The on-disk form of the instance-type catalogue (`data/instance-catalogue.json`), shared by the
 * script that writes it and the loader that reads it.
 *
 * ```
 * { "format": CATALOGUE_FORMAT, "generatedFrom": text, "dataDate": "YYYY-MM-DD",
 *   "columns": CATALOGUE_COLUMNS,           // what each position of a type's row holds
 *   "regions": ["af-south-1", ...],         // regions the offerings cover, sorted
 *   "pricedRegions": ["us-east-1", ...],    // regions with On-Demand prices, sorted
 *   "types": { "<name>": row, ... } }       // sorted by name, one type per line
 * ```
 * A row is a positional array (see CATALOGUE_COLUMNS): booleans are 0/1, absent facts are null,
 * the offered regions are indices into `regions`, prices are `{region: USD per hour}`. The family
 * is not stored: it is the name up to the first dot.
 */
export const CATALOGUE_FORMAT = 'multiregion-instance-catalogue/1';

export const CATALOGUE_COLUMNS = [
  'vcpus',
  'memoryMib',
  'architectures',
  'cpuManufacturer',
  'burstable 0/1',
  'bareMetal 0/1',
  'currentGeneration 0/1',
  'hibernationSupported 0/1',
  'accelerators [count, types, manufacturers, names, totalMemoryMib] or null',
  'localStorage [totalGb, diskTypes] or null',
  'baselineEbsBandwidthMbps or null',
  'networkBaselineGbps or null',
  'maxNetworkInterfaces',
  'usageClasses',
  'regions (indices into regions)',
  'onDemandPrices {region: USD per hour}',
] as const;

export interface CatalogueContent {
  readonly generatedFrom: string;
  /** ISO date (YYYY-MM-DD) of the facts, not of the build. */
  readonly dataDate: string;
  readonly regions: readonly string[];
  readonly pricedRegions: readonly string[];
  /** Sorted by name. */
  readonly types: readonly InstanceTypeInfo[];
}

type Row = [
  number,
  number,
  string[],
  string,
  0 | 1,
  0 | 1,
  0 | 1,
  0 | 1,
  [number, string[], string[], string[], number] | null,
  [number, string[]] | null,
  number | null,
  number | null,
  number,
  string[],
  number[],
  Record<string, number>,
];

/** Serializes a catalogue deterministically: sorted keys, one type per line, trailing newline. */
export function encodeCatalogue(content: CatalogueContent): string {
  const regionIndex = new Map(content.regions.map((r, i) => [r, i]));
  const lines: string[] = [
    '{',
    `"format":${JSON.stringify(CATALOGUE_FORMAT)},`,
    `"generatedFrom":${JSON.stringify(content.generatedFrom)},`,
    `"dataDate":${JSON.stringify(content.dataDate)},`,
    `"columns":${JSON.stringify(CATALOGUE_COLUMNS)},`,
    `"regions":${JSON.stringify([...content.regions].sort())},`,
    `"pricedRegions":${JSON.stringify([...content.pricedRegions].sort())},`,
    '"types":{',
  ];
  const types = [...content.types].sort((a, b) => compareNames(a.name, b.name));
  types.forEach((t, i) => {
    const row: Row = [
      t.vcpus,
      t.memoryMib,
      [...t.architectures].sort(),
      t.cpuManufacturer,
      bit(t.burstable),
      bit(t.bareMetal),
      bit(t.currentGeneration),
      bit(t.hibernationSupported),
      t.accelerators
        ? [
            t.accelerators.count,
            [...t.accelerators.types].sort(),
            [...t.accelerators.manufacturers].sort(),
            [...t.accelerators.names].sort(),
            t.accelerators.totalMemoryMib,
          ]
        : null,
      t.localStorage ? [t.localStorage.totalGb, [...t.localStorage.diskTypes].sort()] : null,
      t.baselineEbsBandwidthMbps ?? null,
      t.networkBaselineGbps ?? null,
      t.maxNetworkInterfaces,
      [...t.usageClasses].sort(),
      t.regions
        .map((r) => {
          const index = regionIndex.get(r);
          if (index === undefined) throw new Error(`${t.name} is offered in ${r}, which is not in the catalogue's regions`);
          return index;
        })
        .sort((a, b) => a - b),
      sortedRecord(t.onDemandPrices),
    ];
    lines.push(`${JSON.stringify(t.name)}:${JSON.stringify(row)}${i < types.length - 1 ? ',' : ''}`);
  });
  lines.push('}', '}');
  return `${lines.join('\n')}\n`;
}

/** Reads the on-disk form; throws an Error naming `source` and the first thing that is wrong. */
export function decodeCatalogue(json: unknown, source: string): CatalogueContent {
  const fail = (why: string): never => {
    throw new Error(`${source} is not a valid instance catalogue: ${why} (rebuild it with 'npm run catalogue')`);
  };
  if (!isObject(json)) return fail('expected a JSON object');
  if (json.format !== CATALOGUE_FORMAT) return fail(`format is ${JSON.stringify(json.format)}, expected ${JSON.stringify(CATALOGUE_FORMAT)}`);
  if (typeof json.generatedFrom !== 'string') return fail('generatedFrom is missing');
  if (typeof json.dataDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(json.dataDate)) return fail('dataDate is not YYYY-MM-DD');
  if (JSON.stringify(json.columns) !== JSON.stringify(CATALOGUE_COLUMNS)) return fail('columns differ from what this version reads');
  const regions = json.regions;
  const pricedRegions = json.pricedRegions;
  if (!isStringArray(regions) || !isStringArray(pricedRegions)) return fail('regions or pricedRegions is not a list of names');
  if (!isObject(json.types)) return fail('types is not an object');

  const types: InstanceTypeInfo[] = [];
  for (const [name, row] of Object.entries(json.types)) {
    if (!Array.isArray(row) || row.length !== CATALOGUE_COLUMNS.length) return fail(`${name}: expected a row of ${CATALOGUE_COLUMNS.length} values`);
    const [
      vcpus,
      memoryMib,
      architectures,
      cpuManufacturer,
      burstable,
      bareMetal,
      current,
      hibernation,
      acc,
      storage,
      ebs,
      network,
      enis,
      usage,
      regionIndices,
      prices,
    ] = row as unknown[];
    if (typeof vcpus !== 'number' || typeof memoryMib !== 'number' || typeof enis !== 'number')
      return fail(`${name}: vcpus, memoryMib and maxNetworkInterfaces must be numbers`);
    if (!isStringArray(architectures) || typeof cpuManufacturer !== 'string' || !isStringArray(usage))
      return fail(`${name}: architectures, cpuManufacturer or usageClasses malformed`);
    if (!Array.isArray(regionIndices) || !regionIndices.every((i) => typeof i === 'number' && regions[i] !== undefined))
      return fail(`${name}: region indices out of range`);
    if (!isObject(prices) || !Object.values(prices).every((p) => typeof p === 'number')) return fail(`${name}: onDemandPrices malformed`);
    const accelerators = decodeAccelerators(acc);
    const localStorage = decodeLocalStorage(storage);
    if (accelerators === false || localStorage === false) return fail(`${name}: accelerators or localStorage malformed`);
    types.push({
      name,
      family: familyOf(name),
      vcpus,
      memoryMib,
      architectures: architectures as Architecture[],
      cpuManufacturer,
      burstable: burstable === 1,
      bareMetal: bareMetal === 1,
      currentGeneration: current === 1,
      hibernationSupported: hibernation === 1,
      ...(accelerators ? { accelerators } : {}),
      ...(localStorage ? { localStorage } : {}),
      ...(typeof ebs === 'number' ? { baselineEbsBandwidthMbps: ebs } : {}),
      ...(typeof network === 'number' ? { networkBaselineGbps: network } : {}),
      maxNetworkInterfaces: enis,
      usageClasses: usage as UsageClass[],
      regions: (regionIndices as number[]).map((i) => regions[i]),
      onDemandPrices: prices as Record<string, number>,
    });
  }
  types.sort((a, b) => compareNames(a.name, b.name));
  return { generatedFrom: json.generatedFrom, dataDate: json.dataDate, regions, pricedRegions, types };
}

function decodeAccelerators(value: unknown): AcceleratorInfo | undefined | false {
  if (value === null) return undefined;
  if (!Array.isArray(value) || value.length !== 5) return false;
  const [count, types, manufacturers, names, totalMemoryMib] = value as unknown[];
  if (typeof count !== 'number' || typeof totalMemoryMib !== 'number' || !isStringArray(types) || !isStringArray(manufacturers) || !isStringArray(names))
    return false;
  return { count, types: types as AcceleratorType[], manufacturers, names, totalMemoryMib };
}

function decodeLocalStorage(value: unknown): LocalStorageInfo | undefined | false {
  if (value === null) return undefined;
  if (!Array.isArray(value) || value.length !== 2) return false;
  const [totalGb, diskTypes] = value as unknown[];
  if (typeof totalGb !== 'number' || !isStringArray(diskTypes)) return false;
  return { totalGb, diskTypes: diskTypes as LocalStorageType[] };
}

/** Plain code-unit order, so the file is the same whatever the machine's locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function bit(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

function sortedRecord(record: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
