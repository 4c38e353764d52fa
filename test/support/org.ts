import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { loadOrganisation } from '../../lib/config';
import { ConfigError } from '../../lib/errors';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLE_ENVIRONMENTS = path.join(REPO_ROOT, 'environments');

export interface OrgFiles {
  /** File name → YAML text, or an object to serialize. */
  readonly [file: string]: string | object;
}

export const PROJECT = {
  project: 'acme',
  backend: { prefix: 'acme-tf-state', layout: 'central', region: 'us-east-1', locking: 'lockfile' },
  tooling: { account: '111122223333', region: 'us-east-1' },
  globalRegion: 'us-east-1',
  deployRoleName: 'InfraBuildRole',
};

export const DEV = {
  regions: ['us-east-1', 'eu-central-1'],
  workloads: ['web-service'],
  settings: { 'web-service': { plainHttp: true } },
  teams: {
    research: { account: '555555555555' },
    risk: { account: '444455556666', regions: ['us-east-1'] },
  },
};

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `multiregion-${prefix}-`));
}

/** Writes an organisation directory and returns its path. */
export function writeOrg(files: OrgFiles = { 'project.yaml': PROJECT, 'dev.yaml': DEV }, dir = tempDir('org')): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : stringify(content));
  }
  return dir;
}

/** A deep copy with changes applied at dotted paths; `undefined` deletes. */
export function withChanges<T extends object>(base: T, changes: Record<string, unknown>): T {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  for (const [dotted, value] of Object.entries(changes)) {
    const keys = dotted.split('.');
    let node = copy;
    for (const key of keys.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return copy as T;
}

/** The problems an organisation's files produce (the directory shown as `<org>`), or [] when it loads. */
export function configProblems(files: OrgFiles): string[] {
  const dir = writeOrg(files);
  try {
    loadOrganisation(dir);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => p.split(dir).join('<org>'));
  }
}
