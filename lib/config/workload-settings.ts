import type { ValidateFunction } from 'ajv';
import { WORKLOAD_CATALOG } from '../generated/workload-catalog';
import { schemaProblems } from './schema-errors';
import { problemAt, type FieldPath, type ParsedFile, type ReportProblem } from './yaml-source';

/** What the config knows of a workload without loading its constructs (generated from workloads/). */
export interface WorkloadCatalogEntry {
  /** The workload has a regional part (workloads/<name>/regional.ts). */
  readonly regional: boolean;
  /** The workload has a global part (workloads/<name>/global.ts). */
  readonly global: boolean;
  /** Paths of settings objects keyed by region: keys must be regions of the environment, covering every region the workload runs in. */
  readonly regionMaps: readonly (readonly string[])[];
  /** Validates settings and fills in the schema's defaults (mutates its argument). */
  readonly validate: ValidateFunction;
}

export type WorkloadCatalog = Readonly<Record<string, WorkloadCatalogEntry>>;

/** The workloads of workloads/, as `npm run generate` last saw them. */
export function generatedWorkloadCatalog(): WorkloadCatalog {
  return WORKLOAD_CATALOG as unknown as WorkloadCatalog;
}

/** A workload a team uses, with its settings: the environment's, the team's over them, the defaults filled in. */
export interface WorkloadUse {
  readonly name: string;
  readonly settings: Readonly<Record<string, unknown>>;
  /** The team's regions where its regional part runs (`workloadRegions`, default every region of the team). */
  readonly regions: readonly string[];
}

/** Settings as written: workload name → settings object. */
export type RawWorkloadSettings = Record<string, Record<string, unknown>>;

/** The workload fields of a team or an environment file. */
export interface RawWorkloadLayer {
  workloads?: string[];
  settings?: RawWorkloadSettings;
  workloadRegions?: Record<string, string[]>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Mappings merge key by key, anything else (lists, scalars) is replaced by the more specific layer. */
export function mergeSettings(base: unknown, override: unknown): unknown {
  if (override === undefined) return structuredClone(base);
  if (isPlainObject(base) && isPlainObject(override)) {
    const merged: Record<string, unknown> = structuredClone(base);
    for (const [key, value] of Object.entries(override)) merged[key] = mergeSettings(base[key], value);
    return merged;
  }
  return structuredClone(override);
}

function has(value: unknown, at: FieldPath): boolean {
  if (value === undefined) return false;
  let node: unknown = value;
  for (const key of at) {
    if (!isPlainObject(node) && !Array.isArray(node)) return false;
    node = (node as Record<string | number, unknown>)[key];
    if (node === undefined) return false;
  }
  return true;
}

function valueAt(value: unknown, at: readonly string[]): unknown {
  return at.reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), value);
}

/**
 * A team's workloads: its own list or the environment's, each with its settings validated by
 * the workload's schema. Problems are reported at the file line of the most specific layer that
 * wrote the field in question.
 */
export function workloadsFrom(
  parsed: ParsedFile,
  environment: RawWorkloadLayer,
  teamName: string,
  team: RawWorkloadLayer,
  teamRegions: readonly string[],
  environmentRegions: readonly string[],
  addProblem: (line: string) => void,
  catalog: WorkloadCatalog = generatedWorkloadCatalog(),
): WorkloadUse[] {
  let problemCount = 0;
  const report: ReportProblem = (at, message) => {
    problemCount += 1;
    addProblem(problemAt(parsed, at, message));
  };
  const teamAt: FieldPath = ['teams', teamName];
  const names = team.workloads ?? environment.workloads;
  const listAt: FieldPath = team.workloads !== undefined ? [...teamAt, 'workloads'] : environment.workloads !== undefined ? ['workloads'] : teamAt;
  // No workloads is a team being onboarded: its stacks hold only the backend, the provider and the team's identity.
  for (const name of Object.keys(team.settings ?? {})) {
    if (!(names ?? []).includes(name)) {
      report(
        [...teamAt, 'settings', name],
        `settings of workload '${name}', which team '${teamName}' does not use (its workloads: ${(names ?? []).join(', ') || 'none'}): add it to the workloads or remove the settings`,
      );
    }
  }
  for (const [name, regions] of Object.entries(team.workloadRegions ?? {})) {
    const at: FieldPath = [...teamAt, 'workloadRegions', name];
    if (!(names ?? []).includes(name)) {
      report(
        at,
        `regions of workload '${name}', which team '${teamName}' does not use (its workloads: ${(names ?? []).join(', ') || 'none'}): add it to the workloads or remove the entry`,
      );
    } else if (catalog[name] !== undefined && !catalog[name].regional) {
      report(at, `workload '${name}' has no regional part, so it runs in no region: remove the entry (its global part deploys from the global region)`);
    }
    regions.forEach((region, r) => {
      if (!teamRegions.includes(region))
        report([...at, r], `region '${region}' is not a region of team '${teamName}' (expected some of ${teamRegions.join(', ')})`);
    });
  }
  const uses: WorkloadUse[] = [];
  (names ?? []).forEach((name, i) => {
    const entry = catalog[name];
    if (entry === undefined) {
      report(
        [...listAt, i],
        `unknown workload '${name}' (expected one of ${Object.keys(catalog).join(', ')}; npx multiregion workload new ${name} creates one)`,
      );
      return;
    }
    const layers: FieldPath[] = [
      [...teamAt, 'settings', name],
      ['settings', name],
    ];
    const values = [team.settings?.[name], environment.settings?.[name]];
    const settings = (mergeSettings(mergeSettings({}, values[1]), values[0]) ?? {}) as Record<string, unknown>;
    const locate = (dataPath: FieldPath): FieldPath => {
      const layer = values.findIndex((v) => has(v, dataPath));
      if (layer >= 0) return [...layers[layer], ...dataPath];
      const present = values.findIndex((v) => v !== undefined);
      return present >= 0 ? [...layers[present], ...dataPath] : [...listAt, ...(listAt === teamAt ? [] : [i])];
    };
    // Environment-level problems would repeat for every team; the caller reports each line once.
    const found = schemaProblems(parsed, entry.validate, settings, locate);
    found.forEach(addProblem);
    if (found.length > 0) return;
    const only = team.workloadRegions?.[name];
    const regions = only === undefined ? [...teamRegions] : teamRegions.filter((r) => only.includes(r));
    const before = problemCount;
    for (const mapPath of entry.regionMaps) {
      const map = valueAt(settings, mapPath);
      if (!isPlainObject(map)) continue;
      for (const key of Object.keys(map)) {
        if (!environmentRegions.includes(key))
          report(locate([...mapPath, key]), `'${key}' is not a region of this environment (expected some of ${environmentRegions.join(', ')})`);
      }
      const missing = entry.regional ? regions.filter((r) => map[r] === undefined) : [];
      if (missing.length > 0)
        report(locate([...mapPath]), `no entry for ${missing.join(', ')}, where team '${teamName}' runs ${name}: give every one of its regions an entry`);
    }
    if (problemCount > before) return;
    uses.push({ name, settings, regions });
  });
  return uses;
}

/** Environment settings of a workload no team of the environment uses. */
export function unusedEnvironmentSettings(environment: RawWorkloadLayer, usedByAnyTeam: ReadonlySet<string>, report: ReportProblem): void {
  for (const name of Object.keys(environment.settings ?? {})) {
    if (!usedByAnyTeam.has(name))
      report(['settings', name], `settings of workload '${name}', which no team of this environment uses: remove them or add the workload to a team`);
  }
}
