import { isKnownRegion, unknownRegionProblem } from '../regions';
import type { ProjectFile } from '../generated/project-config-types';
import { projectPipelineFrom } from '../pipeline-config';
import type { ProjectConfig } from './model';
import { schemaProblems } from './schema-errors';
import { schemaValidators } from './validators';
import { problemAt, type ParsedFile } from './yaml-source';

/** project.yaml as its schema types it (generated from environments/schema/project.schema.json). */
export type RawProject = ProjectFile;

export function projectFrom(parsed: ParsedFile, problems: string[]): ProjectConfig | undefined {
  const found = schemaProblems(parsed, schemaValidators().project);
  if (found.length > 0) {
    problems.push(...found);
    return undefined;
  }
  const raw = parsed.data as RawProject;
  const layout = raw.backend.layout ?? 'central';
  const before = problems.length;
  for (const [at, region] of [
    [['tooling', 'region'], raw.tooling.region],
    [['globalRegion'], raw.globalRegion],
    [['backend', 'region'], raw.backend.region],
  ] as const) {
    if (region !== undefined && !isKnownRegion(region)) {
      problems.push(problemAt(parsed, [...at], unknownRegionProblem(region)));
    }
  }
  if (layout === 'central' && raw.backend.region === undefined) {
    problems.push(problemAt(parsed, ['backend'], `missing field 'region': the central layout keeps every bucket in one region`));
  }
  const pipeline = projectPipelineFrom(raw.pipeline, raw.deployRoleName, raw.tooling.account, (at, message) => problems.push(problemAt(parsed, at, message)));
  if (problems.length > before) return undefined;
  return {
    project: raw.project,
    backend: {
      prefix: raw.backend.prefix,
      layout,
      region: raw.backend.region,
      locking: raw.backend.locking ?? 'lockfile',
    },
    tooling: { account: raw.tooling.account, region: raw.tooling.region },
    globalRegion: raw.globalRegion,
    deployRoleName: raw.deployRoleName,
    tags: raw.tags ?? {},
    removedStacks: raw.removedStacks ?? [],
    ...(pipeline !== undefined ? { pipeline } : {}),
  };
}
