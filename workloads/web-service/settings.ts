/** The settings of web-service, validated and with defaults filled in: generated from settings.schema.json. */
export type { WebServiceSettings } from '../../lib/generated/workload-settings-types';
