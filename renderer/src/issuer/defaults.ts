import type { IssuerSettingsView } from '../../../shared/contract/issuer';

/** What the start form shows before the issuer has ever run: the seeds' defaults (the host's are the same). */
export const DEFAULT_SETTINGS_VIEW: IssuerSettingsView = {
  accessTokenTtl: 15 * 60,
  idTokenTtl: 3600,
  refreshTokenTtl: 14 * 24 * 3600,
  refreshAbsoluteTtl: 30 * 24 * 3600,
  rotation: true,
  graceWindow: 0,
  cookieMode: false,
  authCodeTtl: 60,
  audience: null,
  resourceChecksDenyList: false,
  resourceChecksVersion: true,
  rateLimits: { login: { max: 10, windowSeconds: 60 }, token: { max: 0, windowSeconds: 60 } },
  maxFamiliesPerUser: 100,
  maxRotationsPerFamily: 100_000,
  corsOrigins: [],
};
