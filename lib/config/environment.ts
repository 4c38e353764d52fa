import { isKnownRegion } from '../regions';
import { NAME_PATTERN, RESERVED_ENVIRONMENT_NAMES, RESERVED_STACK_PREFIXES } from '../names';
import { environmentPipelineFrom, type RawEnvironmentPipeline } from '../pipeline-config';
import { computeFrom, type RawEnvironmentCompute, type RawTeamCompute } from './compute';
import { DEFAULT_NETWORK, type EnvironmentConfig, type NatGateways, type NetworkSettings, type ProjectConfig, type TeamConfig } from './model';
import { schemaProblems } from './schema-errors';
import { schemaValidators } from './validators';
import { problemAt, type ParsedFile } from './yaml-source';
import { unusedEnvironmentSettings, workloadsFrom, type RawWorkloadLayer } from './workload-settings';
import { overlappingRanges, parseCidr, rangeFor, type NetworkRange, type RawRangeLayer } from './network-ranges';

function regionProblems(parsed: ParsedFile, at: (string | number)[], regions: readonly string[]): string[] {
  return regions.flatMap((region, i) =>
    isKnownRegion(region) ? [] : [problemAt(parsed, [...at, i], `unknown AWS region '${region}' (expected a real region such as us-east-1)`)],
  );
}

interface RawNetwork extends RawRangeLayer {
  maxAzs?: number;
  natGateways?: NatGateways;
}

interface RawTeam extends RawWorkloadLayer {
  account: string;
  regions?: string[];
  retiredRegions?: string[];
  network?: RawNetwork;
  tags?: Record<string, string>;
  compute?: RawTeamCompute;
}

interface RawEnvironment extends RawWorkloadLayer {
  production?: boolean;
  regions: string[];
  retiredRegions?: string[];
  teams: Record<string, RawTeam>;
  network?: RawNetwork;
  tags?: Record<string, string>;
  pipeline?: RawEnvironmentPipeline;
  compute?: RawEnvironmentCompute;
}

function networkFrom(...layers: (RawNetwork | undefined)[]): NetworkSettings {
  let result: NetworkSettings = DEFAULT_NETWORK;
  for (const layer of layers) {
    if (layer !== undefined) {
      const { cidr, maxAzs, natGateways } = layer;
      result = { ...result, ...(cidr !== undefined ? { cidr } : {}), ...(maxAzs !== undefined ? { maxAzs } : {}), ...(natGateways !== undefined ? { natGateways } : {}) };
    }
  }
  return result;
}

/** Host bits in the network fields that hold CIDR blocks. */
function rangeFieldProblems(parsed: ParsedFile, at: (string | number)[], network: RawNetwork | undefined): string[] {
  const fields: [(string | number)[], string][] = [];
  if (network?.baseRange !== undefined) fields.push([[...at, 'baseRange'], network.baseRange]);
  for (const [region, cidr] of Object.entries(network?.cidrs ?? {})) fields.push([[...at, 'cidrs', region], cidr]);
  return fields.flatMap(([where, cidr]) => (parseCidr(cidr) === undefined ? [problemAt(parsed, where, `'${cidr}' is not a network address (host bits set or an octet above 255): expected e.g. 10.16.0.0/12`)] : []));
}

function cidrProblems(parsed: ParsedFile, at: (string | number)[], network: RawNetwork | undefined): string[] {
  if (network?.cidr === undefined) return [];
  const [address, bits] = network.cidr.split('/');
  const octets = address.split('.').map(Number);
  if (octets.some((o) => o > 255)) return [problemAt(parsed, [...at, 'cidr'], `'${network.cidr}' is not an IPv4 CIDR block`)];
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 32 - Number(bits);
  if (value % 2 ** hostBits !== 0) {
    return [problemAt(parsed, [...at, 'cidr'], `'${network.cidr}' has host bits set: expected a network address such as 10.0.0.0/${bits}`)];
  }
  return [];
}

export function environmentFrom(name: string, parsed: ParsedFile, project: ProjectConfig | undefined, problems: string[]): EnvironmentConfig | undefined {
  const before = problems.length;
  if (!NAME_PATTERN.test(name)) {
    problems.push(`${parsed.file}: environment name '${name}' (the file name) is not valid: expected lower-case letters, digits and hyphens, starting with a letter`);
  }
  if ((RESERVED_ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
    problems.push(`${parsed.file}: '${name}' is reserved and cannot name an environment`);
  }
  const found = schemaProblems(parsed, schemaValidators().environment);
  if (found.length > 0) {
    problems.push(...found);
    return undefined;
  }
  const raw = parsed.data as RawEnvironment;
  problems.push(...regionProblems(parsed, ['regions'], raw.regions));
  problems.push(...cidrProblems(parsed, ['network'], raw.network));
  problems.push(...rangeFieldProblems(parsed, ['network'], raw.network));
  problems.push(...retiredRegionProblems(parsed, ['retiredRegions'], raw.retiredRegions ?? [], raw.regions, `environment '${name}'`));
  const ranges: NetworkRange[] = [];
  const teams: TeamConfig[] = [];
  for (const teamName of Object.keys(raw.teams).sort()) {
    const team = raw.teams[teamName];
    const reserved = RESERVED_STACK_PREFIXES.find((prefix) => teamName === prefix || teamName.startsWith(`${prefix}-`));
    if (reserved !== undefined) {
      problems.push(problemAt(parsed, ['teams', teamName], `team name '${teamName}' collides with the reserved stack prefix '${reserved}-' of the tooling stacks: choose another name`));
    }
    problems.push(...cidrProblems(parsed, ['teams', teamName, 'network'], team.network));
    problems.push(...rangeFieldProblems(parsed, ['teams', teamName, 'network'], team.network));
    const teamRegions = team.regions === undefined ? raw.regions : raw.regions.filter((r) => team.regions!.includes(r));
    const retiredRegions = team.retiredRegions ?? raw.retiredRegions ?? [];
    if (team.retiredRegions !== undefined) {
      problems.push(...retiredRegionProblems(parsed, ['teams', teamName, 'retiredRegions'], team.retiredRegions, teamRegions, `team '${teamName}'`));
    }
    const networkRanges: Record<string, string> = {};
    for (const region of [...teamRegions, ...retiredRegions]) {
      if (parseCidr(team.network?.baseRange ?? raw.network?.baseRange ?? '0.0.0.0/0') === undefined) break;
      const range = rangeFor(teamName, region, [
        { at: ['teams', teamName, 'network'], raw: team.network },
        { at: ['network'], raw: raw.network },
      ]);
      ranges.push(range);
      networkRanges[region] = range.cidr;
    }
    for (const [layerAt, layer, allowed] of [
      [['teams', teamName, 'network'], team.network, [...teamRegions, ...retiredRegions]],
      [['network'], raw.network, [...raw.regions, ...(raw.retiredRegions ?? [])]],
    ] as const) {
      for (const region of Object.keys(layer?.cidrs ?? {})) {
        if (!allowed.includes(region)) problems.push(problemAt(parsed, [...layerAt, 'cidrs', region], `region '${region}' is not a region of ${layerAt.length > 1 ? `team '${teamName}'` : `environment '${name}'`} (expected one of ${allowed.join(', ')})`));
      }
    }
    if (team.regions !== undefined) {
      problems.push(...regionProblems(parsed, ['teams', teamName, 'regions'], team.regions));
      team.regions.forEach((region, i) => {
        if (isKnownRegion(region) && !raw.regions.includes(region)) {
          problems.push(problemAt(parsed, ['teams', teamName, 'regions', i], `region '${region}' is not enabled for environment '${name}' (expected one of ${raw.regions.join(', ')})`));
        }
      });
    }
    const addOnce = (problem: string): void => {
      if (!problems.includes(problem)) problems.push(problem);
    };
    const workloads = workloadsFrom(parsed, raw, teamName, team, addOnce);
    computeUseProblems(teamName, team, workloads.map((w) => w.name)).forEach(([at, message]) => addOnce(problemAt(parsed, at, message)));
    teams.push({
      name: teamName,
      account: team.account,
      regions: teamRegions,
      retiredRegions,
      network: networkFrom(raw.network, team.network),
      networkRanges,
      tags: { ...(raw.tags ?? {}), ...(team.tags ?? {}) },
      // Problems of the environment's own compute settings would repeat for every team: report once.
      compute: computeFrom(raw.compute, teamName, team.regions === undefined ? raw.regions : team.regions, team.compute, (at, message) => {
        const problem = problemAt(parsed, at, message);
        if (!problems.includes(problem)) problems.push(problem);
      }),
      workloads,
    });
  }
  for (const [a, b] of overlappingRanges(ranges)) {
    const where = (r: NetworkRange): string => `team ${r.team} in ${r.region} (${r.at === undefined ? 'default' : `${r.at.join('.')}`})`;
    const ours = b.at ?? ['network'];
    problems.push(problemAt(parsed, ours, `${b.cidr} of ${where(b)} overlaps ${a.cidr} of ${where(a)}${lineOf(parsed, a.at)}: give each region of each team its own range (a baseRange per team, or cidrs)`));
  }
  unusedEnvironmentSettings(raw, new Set(teams.flatMap((t) => t.workloads.map((w) => w.name))), (at, message) => problems.push(problemAt(parsed, at, message)));
  if (project !== undefined && project.tooling.account !== undefined) {
    for (const team of teams) {
      if (team.account === project.tooling.account) {
        problems.push(problemAt(parsed, ['teams', team.name, 'account'], `account ${team.account} is the tooling account: workloads deploy to their own accounts`));
      }
    }
  }
  const pipeline = environmentPipelineFrom(raw.pipeline, (at, message) => problems.push(problemAt(parsed, at, message)));
  if (problems.length > before) return undefined;
  return { name, file: parsed.file, regions: raw.regions, retiredRegions: raw.retiredRegions ?? [], production: raw.production ?? false, teams, tags: raw.tags ?? {}, pipeline };
}

/**
 * The team's compute sections belong to the workloads that read them: `compute.batch` and
 * `compute.plannedEvents` to batch-fleet, a team's `compute.web` to web-service.
 */
function computeUseProblems(teamName: string, team: RawTeam, workloads: readonly string[]): [(string | number)[], string][] {
  const at = ['teams', teamName, 'compute'];
  const out: [(string | number)[], string][] = [];
  const owner = { batch: 'batch-fleet', plannedEvents: 'batch-fleet', web: 'web-service' } as const;
  for (const [field, workload] of Object.entries(owner)) {
    if (team.compute?.[field as keyof typeof owner] !== undefined && !workloads.includes(workload)) {
      out.push([[...at, field], `compute.${field} is read by the workload ${workload}, which team '${teamName}' does not use: add ${workload} to its workloads or remove compute.${field}`]);
    }
  }
  if (workloads.includes('batch-fleet') && team.compute?.batch === undefined && team.compute?.plannedEvents === undefined) {
    out.push([['teams', teamName], `the workload batch-fleet has nothing to run: set teams.${teamName}.compute.batch (a fleet) or compute.plannedEvents (capacity reservations)`]);
  }
  return out;
}

/** ` (<file>:<line>)` of a field, for naming the other place of a conflict. */
function lineOf(parsed: ParsedFile, at: (string | number)[] | undefined): string {
  if (at === undefined) return '';
  const located = problemAt(parsed, at, '');
  const match = /^[^:]*:([0-9]+):/.exec(located);
  return match === null ? '' : ` at ${parsed.file}:${match[1]}`;
}

/** Retired regions are real regions that are no longer among the active ones. */
function retiredRegionProblems(parsed: ParsedFile, at: (string | number)[], retired: readonly string[], active: readonly string[], owner: string): string[] {
  return [
    ...regionProblems(parsed, at, retired),
    ...retired.flatMap((region, i) =>
      active.includes(region) ? [problemAt(parsed, [...at, i], `region '${region}' is both active and retired for ${owner}: remove it from regions to retire it`)] : [],
    ),
  ];
}
