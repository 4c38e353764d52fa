import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { UserError } from '../errors';

const SHA256 = /^[0-9a-f]{64}$/;

/** The sha256 of a file, as lower-case hex. */
export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function isSha256(value: string): boolean {
  return SHA256.test(value);
}

/**
 * Checks a file against an expected sha256. The apply stage uses it to prove that the plan it is
 * about to apply is byte for byte the plan that was reviewed and approved.
 */
export function verifySha256(file: string, expected: string, what: string): string {
  const wanted = expected.trim().toLowerCase();
  if (!isSha256(wanted))
    throw new UserError(`${what}: expected checksum '${expected}' is not a sha256 (64 hex digits); was the plan stage's PLAN_SHA256 passed on?`);
  if (!fs.existsSync(file)) throw new UserError(`${what}: ${file} does not exist`);
  const actual = sha256File(file);
  if (actual !== wanted)
    throw new UserError(`${what}: ${file} has sha256 ${actual}, expected ${wanted}: it is not the file that was approved; refusing to continue`);
  return actual;
}
