import { describe, expect, it } from 'vitest';
import { isCredentialName, nameWords, replaceUrlCredentials, urlCredentialValues, withoutCredentialParams } from './credentials';
import { CREDENTIAL_HEADERS, CREDENTIAL_PARAMS, PLAIN_NAMES } from './test/credential-names';

describe('isCredentialName', () => {
  it('knows the credential headers real APIs use', () => {
    for (const name of CREDENTIAL_HEADERS) expect(isCredentialName(name), name).toBe(true);
    for (const name of CREDENTIAL_HEADERS) expect(isCredentialName(name.toLowerCase()), name).toBe(true);
  });

  it('knows the credential query parameters', () => {
    for (const name of CREDENTIAL_PARAMS) expect(isCredentialName(name), name).toBe(true);
  });

  it('leaves names that only look close alone', () => {
    for (const name of PLAIN_NAMES) expect(isCredentialName(name), name).toBe(false);
  });

  it('reads a name by its words, whatever the spelling', () => {
    expect(nameWords('X-Amz-Security-Token')).toEqual(['x', 'amz', 'security', 'token']);
    expect(nameWords('apiKey')).toEqual(['api', 'key']);
    expect(nameWords('APIKey')).toEqual(['api', 'key']);
    expect(nameWords('connect.sid')).toEqual(['connect', 'sid']);
  });
});

describe('credentials in URLs', () => {
  const url = 'http://app.example/cb?page=2&access_token=tok-4f9a2b&X-Amz-Signature=abc%2Fdef&lang=en&code=oauth-77x#top';

  it('finds the values of credential parameters, as written and decoded', () => {
    expect(urlCredentialValues(url).sort()).toEqual(['abc%2Fdef', 'abc/def', 'oauth-77x', 'tok-4f9a2b'].sort());
    expect(urlCredentialValues('see https://u:pa55word@db.example/x and ?q=1')).toEqual(['pa55word']);
    expect(urlCredentialValues('traefik.http.services.web.loadbalancer.sticky.cookie.name=_sticky')).toEqual([]);
  });

  it('blanks them inside free text and keeps the names and the other parameters', () => {
    const text = `GET ${url} failed; retry at https://u:pa55word@db.example/?sig=Zm9v;page=3`;
    expect(replaceUrlCredentials(text, () => 'X')).toBe(
      'GET http://app.example/cb?page=2&access_token=X&X-Amz-Signature=X&lang=en&code=X#top failed; retry at https://u:X@db.example/?sig=X;page=3',
    );
  });

  it('drops them from a link, leaving every other parameter exactly as written', () => {
    expect(withoutCredentialParams(url)).toBe('http://app.example/cb?page=2&lang=en#top');
    expect(withoutCredentialParams('http://a.example/?q=a%20b+c&api%5Fkey=zz')).toBe('http://a.example/?q=a%20b+c');
    expect(withoutCredentialParams('http://a.example/?token=1')).toBe('http://a.example/');
    expect(withoutCredentialParams('http://a.example/p')).toBe('http://a.example/p');
  });
});
