/**
 * A crashed server is restarted by VS Code's default policy, and the user is told: the client's
 * error handler keeps the policy's decision and says what happened (output channel and a message).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloseAction, CloseHandlerResult, ErrorAction, ErrorHandler } from 'vscode-languageclient';
import { MAX_RESTARTS, tellingErrorHandler } from '../../client/src/restart';

// vscode-languageclient's enum values (its runtime needs `vscode`, which unit tests do not have).
const DO_NOT_RESTART = 1 as CloseAction;
const RESTART = 2 as CloseAction;
const CONTINUE = 1 as ErrorAction;

/** The default policy's shape: restart MAX_RESTARTS times, then stop (all within three minutes here). */
function defaultPolicy(): ErrorHandler & { closes: number } {
  const h = {
    closes: 0,
    error: () => ({ action: CONTINUE }),
    closed: (): CloseHandlerResult => (++h.closes <= MAX_RESTARTS ? { action: RESTART } : { action: DO_NOT_RESTART, message: 'default words' }),
  };
  return h;
}

test('client: each restart of a crashed server is told, and the policy decides', async () => {
  const policy = defaultPolicy();
  const told: [string, boolean][] = [];
  const handler = tellingErrorHandler(() => policy, RESTART, (message, restarting) => told.push([message, restarting]));
  const results: CloseHandlerResult[] = [];
  for (let i = 0; i <= MAX_RESTARTS; i++) results.push(await handler.closed());
  assert.deepEqual(
    results.map((r) => r.action),
    [...new Array<CloseAction>(MAX_RESTARTS).fill(RESTART), DO_NOT_RESTART],
    'the default policy is kept',
  );
  assert.equal(told.length, MAX_RESTARTS + 1, 'every stop is told');
  assert.ok(told.slice(0, MAX_RESTARTS).every(([m, r]) => r && /stopped unexpectedly and is being restarted/.test(m)));
  const last = told[MAX_RESTARTS];
  assert.ok(last && !last[1] && /will not be restarted/.test(last[0]) && /Restart Server/.test(last[0]));
  assert.ok(results.every((r) => r.handled === true && r.message), 'told once: the client does not notify again');
  assert.deepEqual(await handler.error(new Error('x'), undefined, 1), { action: CONTINUE }, 'connection errors: the policy decides');
});
