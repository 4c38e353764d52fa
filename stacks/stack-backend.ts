import { DataTerraformRemoteStateS3, LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { StateBackend } from '../lib/stack-spec';

/**
 * The backend of a stack: its own S3 state file as the layout table says (encrypted, with the
 * configured locking), or a local state file for the first deploy of a stack that creates its
 * own bucket (`localPath`).
 */
export function configureStateBackend(stack: TerraformStack, backend: StateBackend, localPath?: string): void {
  if (localPath !== undefined) {
    new LocalBackend(stack, { path: localPath });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: backend.key,
    region: backend.region,
    encrypt: true,
    // The state key, not SSE-S3: without kms_key_id terraform asks S3 for AES256 and the state is
    // readable by anyone with s3:GetObject (threat: state with secrets read outside the pipeline).
    kmsKeyId: backend.kmsKeyId,
    ...(backend.dynamodbTable !== null ? { dynamodbTable: backend.dynamodbTable } : {}),
  });
  // cdktf 0.21's S3BackendConfig predates Terraform 1.10's S3 native locking; set it raw.
  if (backend.useLockfile) s3.addOverride('use_lockfile', true);
}

/**
 * Reads the outputs of the stack whose backend is `backend` (a team's global stack, from its
 * regional stacks): the bucket, key, region and lock-file setting of that stack's own backend
 * block, because both come from `stateBackendFor`. Reading takes no lock, so the DynamoDB lock
 * table is left out (Terraform also warns that `dynamodb_table` is deprecated there).
 */
export function remoteStateOf(stack: TerraformStack, id: string, backend: StateBackend): DataTerraformRemoteStateS3 {
  const state = new DataTerraformRemoteStateS3(stack, id, { bucket: backend.bucket, key: backend.key, region: backend.region, encrypt: true });
  // As for the backend: cdktf 0.21's config type predates S3 native locking.
  if (backend.useLockfile) state.addOverride('config.use_lockfile', true);
  return state;
}
