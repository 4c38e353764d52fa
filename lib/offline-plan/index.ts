/**
 * The offline plan (`multiregion plan --offline`): every synthesized stack planned with the real
 * hashicorp/aws provider reaching nothing, then applied with a mocked provider, with no AWS
 * account. See docs/cli.md.
 */
export { findPluginDir, HOW_TO_GET_A_PROVIDER, providerVersions, CANDIDATE_PLUGIN_DIRS, providerBinary, AWS_PROVIDER_PATH } from './provider-dir';
export { relaxForProvider, offlineProviders, type ProviderSchema, type Removal } from './offline-config';
export { mockValues, arnFor, type MockTarget } from './mock-values';
export { offlineStackCopy, LOCAL_DATA_SOURCES, type StackCopy } from './stack-copy';
export { renderTestFile, hclValue } from './test-file';
export { parseTestOutput, type TestFailure, type TestReport } from './terraform-test';
export { runOfflinePlan, batches, type OfflinePlanOptions, type OfflinePlanReport, type StackPlanResult } from './run';
export { startProvider, terraformVersion } from './terraform-process';
export { synthForOfflinePlan, rerunScript, type OfflineSynth } from './synth';
