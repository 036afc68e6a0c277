/**
 * Test-only fault injection. `NETPOL_TEST_THROW=hover,diagnostics` makes those features throw (`*`:
 * every guarded feature, which finds a request handler that is not guarded), so the protocol tests
 * can check that one failing feature costs one error answer and a log line, nothing more. Read
 * only here, in the LSP layer: the core and the CLI never look at the environment.
 */
const requested = new Set(
  (process.env.NETPOL_TEST_THROW ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== ''),
);

/** Throws when the tests asked this feature (the name `guarded` logs it under) to fail. */
export function injectFault(feature: string): void {
  if (requested.has(feature) || requested.has('*')) throw new Error(`NETPOL_TEST_THROW: ${feature} failed on purpose`);
}
