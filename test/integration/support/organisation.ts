import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * An organisation config for a test, in the format of environments/ (project.yaml plus one
 * <env>.yaml per environment), with the state buckets and lock tables it implies per the state
 * layout table of DESIGN.md, written out by hand rather than computed by the code under test.
 */
export interface OrganisationFixture {
  readonly name: string;
  readonly projectYaml: string;
  /** Environment name -> the YAML of <env>.yaml. */
  readonly environments: Readonly<Record<string, string>>;
  readonly buckets: readonly string[];
  readonly lockTables: readonly string[];
}

/** Writes the fixture into `<root>/<name>/` and returns that directory. */
export function writeOrganisation(root: string, fixture: OrganisationFixture): string {
  const dir = path.join(root, fixture.name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'project.yaml'), fixture.projectYaml);
  for (const [environment, yaml] of Object.entries(fixture.environments)) fs.writeFileSync(path.join(dir, `${environment}.yaml`), yaml);
  return dir;
}

/** Strips the indentation of a template literal so YAML can be written inline. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0));
  return `${lines
    .map((l) => l.slice(indent))
    .join('\n')
    .trimEnd()}\n`;
}
