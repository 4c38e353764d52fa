import { App, Testing } from 'cdktf';
import { loadOrganisation, type Organisation } from '../../lib/config';
import { stackSpecForTag } from '../../lib/stack-spec';
import { parseReleaseTag } from '../../lib/tag';
import { createWorkloadStack } from '../../stacks/workload-stack-factory';
import { DEV, PROJECT, withChanges, writeOrg } from './org';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The Terraform JSON of the stack a release tag selects. */
export function synthTag(org: Organisation, tag: string): Json {
  const parsed = parseReleaseTag(tag);
  const spec = stackSpecForTag(org, parsed);
  const app = Testing.app({ stackTraces: false }) as App;
  return JSON.parse(Testing.synth(createWorkloadStack(app, org, spec, parsed.version))) as Json;
}

/** An organisation of PROJECT and DEV with dotted changes to DEV (and to PROJECT). */
export function devOrg(changes: Record<string, unknown> = {}, projectChanges: Record<string, unknown> = {}): Organisation {
  return loadOrganisation(writeOrg({ 'project.yaml': withChanges(PROJECT, projectChanges), 'dev.yaml': withChanges(DEV, changes) }));
}

/** The resources of one type, in synthesis order. */
export function resources(json: Json, type: string): Json[] {
  return Object.values((json.resource?.[type] ?? {}) as Json);
}
