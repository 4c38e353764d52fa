import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors';
import { environmentFrom } from './environment';
import type { EnvironmentConfig, Organisation, ProjectConfig } from './model';
import { projectFrom } from './project';
import { readYaml } from './yaml-source';

export interface LoadOptions {
  /**
   * Read only `project.yaml` and this environment's file: what a release, `tag explain` or drift
   * of one environment needs, so that a broken file of another environment stops only that
   * environment. When there is no file for it, every file is read (so an unknown environment is
   * reported with the known ones). `config check` reads everything. @default - every environment
   */
  readonly environment?: string;
}

/**
 * Reads and validates an organisation directory (`project.yaml` plus one `<env>.yaml` per
 * environment). Fails closed: every problem found is reported, one line each, in a ConfigError.
 */
export function loadOrganisation(dir: string, options: LoadOptions = {}): Organisation {
  const problems: string[] = [];
  const display = (name: string): string => path.join(dir, name);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir).sort();
  } catch {
    throw new ConfigError([
      `${dir}: no such organisation directory (expected project.yaml and one <env>.yaml per environment; set ENVIRONMENTS_DIR or --environments)`,
    ]);
  }
  const yamlFiles = entries.filter((e) => /\.ya?ml$/.test(e));
  const projectFiles = yamlFiles.filter((e) => /^project\.ya?ml$/.test(e));
  let project: ProjectConfig | undefined;
  if (projectFiles.length === 0) {
    problems.push(`${display('project.yaml')}: missing (expected the project settings: project, backend, tooling, globalRegion, deployRoleName)`);
  } else if (projectFiles.length > 1) {
    problems.push(`${dir}: both project.yaml and project.yml exist: keep one`);
  } else {
    const parsed = readYaml(path.join(dir, projectFiles[0]), display(projectFiles[0]), problems);
    if (parsed !== undefined) project = projectFrom(parsed, problems);
  }

  const environments: EnvironmentConfig[] = [];
  const seen = new Map<string, string>();
  const only = options.environment !== undefined && yamlFiles.some((f) => f.replace(/\.ya?ml$/, '') === options.environment) ? options.environment : undefined;
  for (const file of yamlFiles) {
    if (projectFiles.includes(file)) continue;
    const name = file.replace(/\.ya?ml$/, '');
    if (only !== undefined && name !== only) continue;
    const previous = seen.get(name);
    if (previous !== undefined) {
      problems.push(`${display(file)}: environment '${name}' is also defined by ${display(previous)}: keep one file`);
      continue;
    }
    seen.set(name, file);
    const parsed = readYaml(path.join(dir, file), display(file), problems);
    if (parsed === undefined) continue;
    const environment = environmentFrom(name, parsed, project, problems);
    if (environment !== undefined) environments.push(environment);
  }
  if (seen.size === 0) {
    problems.push(`${dir}: no environments (expected at least one <env>.yaml next to project.yaml)`);
  }
  if (problems.length > 0 || project === undefined) throw new ConfigError(problems);
  environments.sort((a, b) => a.name.localeCompare(b.name));
  return { dir, project, environments };
}
