/** Retries of the engine calls that talk to a registry (pull, push), which fail transiently on busy registries. */
const RETRIES = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Network trouble and 5xx/429 answers are worth retrying; "denied" or "unknown" are not. */
function isTransient(message: string): boolean {
  return /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|socket hang up|timeout|connection reset|TLS handshake|too many requests|\b(?:50[0-4]|429)\b/i.test(message);
}

/** Retries `attempt` with exponential backoff while it fails transiently. */
export async function withRetries<T>(what: string, attempt: () => Promise<T>, log: (line: string) => void, delayMs = 1000): Promise<T> {
  for (let tryNumber = 1; ; tryNumber++) {
    try {
      return await attempt();
    } catch (error) {
      const message = (error as Error).message;
      if (tryNumber >= RETRIES || !isTransient(message)) {
        throw new Error(`${what} failed after ${tryNumber} attempt${tryNumber === 1 ? '' : 's'}: ${message}`);
      }
      const wait = delayMs * 2 ** (tryNumber - 1);
      log(`${what}: transient error (${message.trim()}), retrying in ${wait / 1000}s`);
      await sleep(wait);
    }
  }
}
