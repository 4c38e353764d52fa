import type { JsonRule } from '../../rule';

export const BACKEND_KMS_ENCRYPTION: JsonRule = {
  id: 'MR-BE-1',
  pack: 'security',
  severity: 'error',
  problem: "an S3 backend without encrypt and kms_key_id writes state (which holds secrets) with SSE-S3, overriding the bucket's KMS default",
  fix: 'set encrypt = true and kms_key_id = <the state key> in the backend (the layout functions do)',
  checkov: [],
  check: (json) => {
    const s3 = json.terraform?.backend?.s3;
    if (s3 === undefined) return [];
    const missing = [...(s3.encrypt === true ? [] : ['encrypt = true']), ...(typeof s3.kms_key_id === 'string' && s3.kms_key_id !== '' ? [] : ['kms_key_id'])];
    return missing.length === 0 ? [] : [{ address: 'terraform.backend.s3', message: `the state backend lacks ${missing.join(' and ')}` }];
  },
};
