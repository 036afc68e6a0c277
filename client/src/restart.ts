import type { CloseAction, CloseHandlerResult, ErrorHandler } from 'vscode-languageclient';

/** How many times in three minutes vscode-languageclient's default policy restarts a server. */
export const MAX_RESTARTS = 4;

/**
 * vscode-languageclient's default policy (restart a crashed server up to four times in three
 * minutes, then stop), with netpol telling the user each time: by default a restart is one line in
 * the output channel and nobody notices that hovers and diagnostics went away for a moment.
 * `restart` is CloseAction.Restart, passed in so this file needs no `vscode` at run time.
 */
export function tellingErrorHandler(base: () => ErrorHandler, restart: CloseAction, say: (message: string, restarting: boolean) => void): ErrorHandler {
  return {
    error: (error, message, count) => base().error(error, message, count),
    closed: async (): Promise<CloseHandlerResult> => {
      const result = await base().closed();
      const restarting = result.action === restart;
      const message = restarting
        ? `The netpol server stopped unexpectedly and is being restarted (at most ${MAX_RESTARTS} times in 3 minutes). Its log is in the netpol output channel.`
        : `The netpol server stopped unexpectedly ${MAX_RESTARTS + 1} times in 3 minutes and will not be restarted. Its log is in the netpol output channel; "netpol: Restart Server" starts it again.`;
      say(message, restarting);
      // Told already: the client only logs it, without a second notification.
      return { ...result, message, handled: true };
    },
  };
}
