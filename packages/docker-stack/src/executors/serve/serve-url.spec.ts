import { normalizeOptions, serveUrl } from './executor';

describe('serve URL', () => {
  const plain = { cmd: ['httpd', '-f', '-p', '8080'], env: ['PATH=/bin'] };
  const notebook = { cmd: ['tini', '-g', '--', 'start-notebook.py'], env: ['PATH=/opt/conda/bin', 'JUPYTER_PORT=8888'] };

  it('is the bare loopback URL for an image that is no notebook', () => {
    expect(serveUrl(41000, plain, 'secret', 'httpd started\n')).toBe('http://127.0.0.1:41000/');
  });

  it('carries the token set through JUPYTER_TOKEN for a notebook image', () => {
    expect(serveUrl(41000, notebook, 'secret', '')).toBe('http://127.0.0.1:41000/?token=secret');
  });

  it('prefers the token the server printed in its logs', () => {
    const logs = '    http://127.0.0.1:8888/lab?token=abc123def\n';
    expect(serveUrl(41000, notebook, 'secret', logs)).toBe('http://127.0.0.1:41000/?token=abc123def');
  });

  it('defaults to a free port, a random 48-hex-digit token and a 180 s wait', () => {
    const options = normalizeOptions({ stackDir: 'images' });
    expect(options).toMatchObject({ port: 0, timeoutSeconds: 180, python: 'python3' });
    expect(options.token).toMatch(/^[0-9a-f]{48}$/);
    expect(normalizeOptions({ stackDir: 'images' }).token).not.toBe(options.token);
  });
});
