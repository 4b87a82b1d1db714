import { isTransient, RegistryHttpError, withRetries } from './retries';

describe('withRetries', () => {
  it('retries transient registry errors with backoff, then succeeds', async () => {
    const log: string[] = [];
    let calls = 0;
    const result = await withRetries(
      'push x',
      async () => {
        calls++;
        if (calls < 3) throw new Error('received unexpected HTTP status: 503 Service Unavailable');
        return 'sha256:abc';
      },
      (line) => log.push(line),
      1,
    );
    expect(result).toBe('sha256:abc');
    expect(calls).toBe(3);
    expect(log).toEqual([expect.stringContaining('retrying in 0.001s'), expect.stringContaining('retrying in 0.002s')]);
  });

  it('gives up after four attempts and says so', async () => {
    let calls = 0;
    const failing = withRetries('push x', async () => {
      calls++;
      throw new Error('read: connection reset by peer');
    }, () => undefined, 1);
    await expect(failing).rejects.toThrow('push x failed after 4 attempts: read: connection reset by peer');
    expect(calls).toBe(4);
  });

  it('retries the daemon\'s words for a registry that went away: a refused connection, a request cut short', async () => {
    for (const message of ['Get "http://127.0.0.1:5001/v2/": dial tcp 127.0.0.1:5001: connect: connection refused', 'Put "http://127.0.0.1:5001/v2/x/manifests/t": EOF']) {
      let calls = 0;
      const failing = withRetries('push x', async () => {
        calls++;
        throw new Error(message);
      }, () => undefined, 1);
      await expect(failing).rejects.toThrow('failed after 4 attempts');
      expect(calls).toBe(4);
    }
  });

  it('does not retry a refusal, nor mistake a port like :5000 for an HTTP 500', async () => {
    let calls = 0;
    const denied = withRetries('push 127.0.0.1:5000/x', async () => {
      calls++;
      throw new Error('manifest for 127.0.0.1:5000/x not found: manifest unknown');
    }, () => undefined, 1);
    await expect(denied).rejects.toThrow('failed after 1 attempt:');
    expect(calls).toBe(1);
  });

  it('reads HTTP answers by status and network errors by their cause', () => {
    expect([429, 500, 502, 503, 599].map((status) => isTransient(new RegistryHttpError('x', status)))).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 405].map((status) => isTransient(new RegistryHttpError('x', status)))).toEqual([false, false, false, false, false]);
    expect(isTransient(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }))).toBe(true);
    expect(isTransient(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }))).toBe(true);
    expect(isTransient(new Error('unauthorized: authentication required'))).toBe(false);
  });
});
