// Waiting for an editor that answers asynchronously (server start, re-analysis after an edit):
// probe until the answer is there, and say what was last seen when it never comes.

export interface Probe<T> {
  /** The value once it is ready, or undefined to try again. */
  value: T | undefined;
  /** What was seen this time, for the timeout message. */
  seen?: string;
}

export async function poll<T>(what: string, probe: () => Promise<Probe<T>> | Probe<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let seen = 'nothing';
  for (;;) {
    try {
      const p = await probe();
      if (p.value !== undefined) return p.value;
      seen = p.seen ?? seen;
    } catch (err) {
      // Providers can throw while the server is still starting; keep trying until the deadline.
      seen = `error: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${seen}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
