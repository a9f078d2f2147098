import { DEFAULT_ISSUER_SETTINGS } from '../../../shared/contract/issuer';
import type { IssuerSettingsView } from '../../../shared/contract/issuer';

/** What the start form shows before the issuer has ever run: the issuer's own defaults, from the contract. */
export const DEFAULT_SETTINGS_VIEW: IssuerSettingsView = structuredClone(DEFAULT_ISSUER_SETTINGS) as IssuerSettingsView;
