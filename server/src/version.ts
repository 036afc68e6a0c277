/** Replaced at bundle time from package.json (see scripts/build.mjs). */
declare const NETPOL_VERSION: string | undefined;
export const version: string = typeof NETPOL_VERSION === 'string' ? NETPOL_VERSION : '0.0.0-dev';
