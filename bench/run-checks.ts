// Checks the benchmark makes on its own runs: that the compiled app did not change between runs,
// and that the baseline still synthesizes what the app does.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project root (dist/bench/ is two levels below it once compiled). */
const ROOT = path.resolve(__dirname, '..', '..');

/**
 * A fingerprint of the compiled app (dist/ without dist/bench): paths, sizes and modification
 * times. Measured runs skip the build, so a rebuild by someone else during the benchmark would
 * silently mix two versions of the app into one median; comparing fingerprints catches that.
 */
export function compiledAppFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((x, y) => x.name.localeCompare(y.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== path.join(ROOT, 'dist', 'bench')) walk(full);
      } else if (entry.name.endsWith('.js') || entry.name.endsWith('.json')) {
        const stat = fs.statSync(full);
        hash.update(`${full}\0${stat.size}\0${stat.mtimeMs}\n`);
      }
    }
  };
  walk(path.join(ROOT, 'dist'));
  return hash.digest('hex');
}

export interface BaselineCheck {
  /** Both declare the same resources, data sources, outputs and providers (type and name). */
  readonly sameAddresses: boolean;
  /** Both cdk.tf.json files are byte for byte the same. */
  readonly identical: boolean;
  readonly onlyInApp: string[];
  readonly onlyInBaseline: string[];
}

/** Compares the stack the app synthesized for (a) with the one the baseline synthesized. */
export function compareWithBaseline(appStackDir: string, baselineStackDir: string): BaselineCheck {
  const read = (dir: string): string => fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8');
  const appText = read(appStackDir);
  const baselineText = read(baselineStackDir);
  const addresses = (text: string): Set<string> => {
    const json = JSON.parse(text) as Record<string, unknown>;
    const out = new Set<string>();
    for (const section of ['resource', 'data', 'output', 'provider']) {
      const blocks = (json[section] ?? {}) as Record<string, unknown>;
      for (const [type, body] of Object.entries(blocks)) {
        if (section === 'output' || section === 'provider') out.add(`${section}.${type}`);
        else for (const name of Object.keys(body as object)) out.add(`${section}.${type}.${name}`);
      }
    }
    return out;
  };
  const fromApp = addresses(appText);
  const fromBaseline = addresses(baselineText);
  const onlyInApp = [...fromApp].filter((a) => !fromBaseline.has(a));
  const onlyInBaseline = [...fromBaseline].filter((a) => !fromApp.has(a));
  return {
    sameAddresses: onlyInApp.length === 0 && onlyInBaseline.length === 0,
    identical: appText === baselineText,
    onlyInApp,
    onlyInBaseline,
  };
}
