import { secretValues } from './buildkit';

describe('secretValues', () => {
  it('reads each secret from the environment variable named for it', () => {
    expect(secretValues('base', { token: 'PIP_TOKEN', key: 'KEY' }, { PIP_TOKEN: 'abc', KEY: '' })).toEqual({ token: 'abc', key: '' });
  });

  it('names the image, every missing secret and its variable', () => {
    expect(() => secretValues('base', { token: 'PIP_TOKEN', key: 'KEY', ok: 'OK' }, { OK: '1' })).toThrow(
      'image "base": build option "secrets": secret "token" reads $PIP_TOKEN, secret "key" reads $KEY, but they are not set in the environment.',
    );
  });
});
