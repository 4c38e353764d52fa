import { defineWorkload } from '../framework';
import { WebServiceRegional } from './regional';
import type { WebServiceSettings } from './settings';

/** A public web service in every region of the team (README.md in this folder). */
export const webService = defineWorkload<WebServiceSettings>({
  name: 'web-service',
  regional: WebServiceRegional,
});
