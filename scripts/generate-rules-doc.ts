import * as fs from 'node:fs';
import * as path from 'node:path';
import { rulesMarkdown } from '../guardrails/rules-doc';

/** Writes docs/guardrail-rules.md from the rules (npm run docs). */
const target = path.resolve(__dirname, '..', '..', 'docs', 'guardrail-rules.md');
fs.writeFileSync(target, rulesMarkdown());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
