import { Annotations, type TerraformStack } from 'cdktf';
import { UserError } from '../lib/errors';
import { evaluateStack, formatFinding, type ConfigSuppression, type GuardrailReport } from './engine';
import type { GuardrailContext } from './rule';
import type { TerraformJson } from './terraform-json';

/** Error-level findings remain: synth stops, one line per finding (exit 2, no stack trace). */
export class GuardrailError extends UserError {
  constructor(lines: readonly string[]) {
    super(lines);
    this.name = 'GuardrailError';
  }
}

/**
 * The guardrails of one stack. The stack base classes create one and route `toTerraform()`
 * through `render()`: rules read the finished tree once it is rendered (after aspects, never
 * while constructors run, so no check depends on construction order), and the rendered JSON is
 * reused for the synth output rather than resolved twice.
 *
 * At synth (`app.synth()` runs stack validations before writing), error-level findings stop the
 * synth with a GuardrailError and warnings become annotations, which `cdktf synth` prints.
 * Suppressions, with their reasons, are recorded in the stack's `//` metadata.
 */
export class StackGuardrails {
  private rendered?: TerraformJson;
  private cachedReport?: GuardrailReport;

  constructor(
    private readonly stack: TerraformStack,
    private readonly context: GuardrailContext,
    private readonly configSuppressions: readonly ConfigSuppression[] = [],
  ) {
    stack.node.addValidation({ validate: () => this.validateOnSynth() });
  }

  /** The stack's Terraform JSON with the guardrail metadata; `renderTerraform` runs once. */
  render(renderTerraform: () => TerraformJson): TerraformJson {
    this.rendered ??= renderTerraform();
    const suppressed = this.reportFor(this.rendered).suppressed;
    if (suppressed.length === 0) return this.rendered;
    const metadata = (this.rendered['//'] ?? {}) as Record<string, unknown>;
    return {
      ...this.rendered,
      '//': {
        ...metadata,
        guardrails: {
          suppressed: suppressed.map((s) => ({
            rule: s.rule,
            address: s.address,
            ...(s.path !== undefined ? { path: s.path } : {}),
            reason: s.reason,
            suppressedBy: s.suppressedBy,
          })),
        },
      },
    };
  }

  /** Every finding of the stack (renders it first if needed). */
  report(): GuardrailReport {
    this.stack.toTerraform();
    return this.reportFor(this.rendered as TerraformJson);
  }

  private reportFor(json: TerraformJson): GuardrailReport {
    this.cachedReport ??= evaluateStack(this.stack, json, this.context, this.configSuppressions);
    return this.cachedReport;
  }

  private validateOnSynth(): string[] {
    const { findings } = this.report();
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) throw new GuardrailError(errors.map(formatFinding));
    for (const warning of findings) {
      const target = this.stack.node.findAll().find((c) => c.node.path === warning.path) ?? this.stack;
      Annotations.of(target).addWarning(`${warning.rule}: ${warning.message}; fix: ${warning.fix}`);
    }
    return [];
  }
}
