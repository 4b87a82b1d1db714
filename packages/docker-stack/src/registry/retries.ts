/**
 * The one retry policy of every registry call: the engine's pull and push and the registry client's HTTP requests
 * (promotion, gc). Busy registries fail transiently; a refusal is final.
 */
export const RETRIES = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An HTTP answer from a registry, kept with its status so the policy need not read it from a message. */
export class RegistryHttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Network trouble (in Node's words, or the daemon's Go ones such as "connect: connection refused" and the "EOF" of a
 * request cut short) and 5xx/429 answers are worth retrying; 4xx answers such as "denied" or "unknown" are not.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof RegistryHttpError) {
    return error.status === 429 || error.status >= 500;
  }
  // fetch() reports a refused or reset connection as "fetch failed" with the system error as its cause.
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? '';
  const message = `${(error as Error).message} ${cause}`;
  return /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|UND_ERR_SOCKET|socket hang up|timeout|connection reset|connection refused|\bEOF\b|TLS handshake|too many requests|\b(?:5\d\d|429)\b/i.test(
    message,
  );
}

/** Retries `attempt` with exponential backoff (delayMs, 2×, 4×) while it fails transiently. */
export async function withRetries<T>(what: string, attempt: () => Promise<T>, log: (line: string) => void, delayMs = 1000): Promise<T> {
  for (let tryNumber = 1; ; tryNumber++) {
    try {
      return await attempt();
    } catch (error) {
      const message = (error as Error).message;
      if (tryNumber >= RETRIES || !isTransient(error)) {
        const failure = new Error(`${what} failed after ${tryNumber} attempt${tryNumber === 1 ? '' : 's'}: ${message}`);
        throw Object.assign(failure, { status: (error as { status?: number }).status });
      }
      const wait = delayMs * 2 ** (tryNumber - 1);
      log(`${what}: transient error (${message.trim()}), retrying in ${wait / 1000}s`);
      await sleep(wait);
    }
  }
}
