import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { injectFault } from './faults';

export type Guarded = <T>(name: string, f: () => T) => T | ResponseError<void>;

/**
 * Runs a request's feature so that an exception becomes an error answer for that request only and
 * a line in the log: one failing feature never takes the server down. Every handler goes through it
 * (test/lsp/pressure.test.ts proves it with NETPOL_TEST_THROW=*).
 */
export function guard(connection: Connection): Guarded {
  return <T>(name: string, f: () => T): T | ResponseError<void> => {
    try {
      injectFault(name);
      return f();
    } catch (e) {
      connection.console.error(`netpol: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return new ResponseError(ErrorCodes.InternalError, `netpol ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}
