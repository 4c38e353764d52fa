// The organisation config: environments/*.yaml read, validated and resolved (reference: docs/).
export * from './model';
export * from './compute';
export { loadOrganisation } from './load';
export { generatedWorkloadCatalog, mergeSettings, type WorkloadCatalog, type WorkloadCatalogEntry, type WorkloadUse } from './workload-settings';
