import type { StateBackend } from '../stack-spec';

/**
 * A `-backend-config` file for `terraform init`, derived from the release tag rather than from
 * the synthesized code: even a commit that changed a stack's backend block cannot make the
 * pipeline write another stack's state (and the build role could not reach it anyway).
 */
export function backendConfigFile(backend: StateBackend): string {
  const lines: [string, string | boolean][] = [
    ['bucket', backend.bucket],
    ['key', backend.key],
    ['region', backend.region],
    ['encrypt', true],
    // Threat: state and lock files written with SSE-S3 instead of the state key.
    ['kms_key_id', backend.kmsKeyId],
  ];
  if (backend.useLockfile) lines.push(['use_lockfile', true]);
  if (backend.dynamodbTable !== null) lines.push(['dynamodb_table', backend.dynamodbTable]);
  return `${lines.map(([k, v]) => `${k} = ${typeof v === 'boolean' ? String(v) : JSON.stringify(v)}`).join('\n')}\n`;
}

interface SynthesizedStack {
  terraform?: { backend?: { s3?: Record<string, unknown> } };
}

/** Differences between the synthesized backend block and the one the tag implies. */
export function backendMismatches(stackJson: unknown, backend: StateBackend): string[] {
  const s3 = (stackJson as SynthesizedStack).terraform?.backend?.s3;
  if (s3 === undefined) return ['the synthesized stack has no S3 backend'];
  const expected: Record<string, unknown> = { bucket: backend.bucket, key: backend.key, region: backend.region, encrypt: true, kms_key_id: backend.kmsKeyId };
  if (backend.dynamodbTable !== null) expected.dynamodb_table = backend.dynamodbTable;
  if (backend.useLockfile) expected.use_lockfile = true;
  return Object.entries(expected)
    .filter(([k, v]) => s3[k] !== v)
    .map(([k, v]) => `backend ${k} is ${JSON.stringify(s3[k])}, the tag implies ${JSON.stringify(v)}`);
}
