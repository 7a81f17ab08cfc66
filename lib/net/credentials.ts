// Which header and query parameter names carry a credential: the one rule behind shared report redaction, redacted
// exports and every link to the Probe page. Client-safe, no dependencies.
//
// A name is split into words (`X-Amz-Security-Token`, `apiKey`, `access_token` → x amz security token, api key,
// access token) and judged by its words, so `author`, `X-Replica`, `page` or `promo_code` are not mistaken for
// `auth`, `pass`, `sig` or `code` the way a substring match would.

/** A word that makes any name a credential: `token` in `X-Vault-Token`, `secret` in `client_secret`. */
const CREDENTIAL_WORD =
  /token|secret|passw|passphrase|passcode|credential|session|sessid|cookie|bearer|jwt|signature|csrf|xsrf|saml|hmac|^(auth|authn|authz|authenticate|authentication|authorization|authorisation|pass|pwd|sig|sid|otp|ticket|assertion)$/;

/** A word that is a credential when it stands for the whole name: OAuth's `?code=`, Google's `?key=`. */
const CREDENTIAL_NAME = /^(key|code)$/;

/** `key` after these words names something public or an ordinary id, not a secret. */
const PUBLIC_KEY_QUALIFIERS = new Set(['idempotency', 'cache', 'public', 'sort', 'partition', 'routing', 'shard', 'primary', 'foreign', 'websocket', 'socket']);

/** Words written together that end in a secret key: `apikey`, `accesskey`, `subscriptionkey`. */
const JOINED_KEY = /(api|access|secret|private|auth|signing|master|client|app|dev|license|subscription|encryption|shared)key/;

/** `X-Amz-Security-Token` → x amz security token; `apiKey` → api key; `APIKey` → api key. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether a header or query parameter called `name` carries a credential (Authorization, X-Api-Key, access_token…). */
export function isCredentialName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 1 && CREDENTIAL_NAME.test(words[0] ?? '')) return true;
  return words.some((word, i) => {
    if (CREDENTIAL_WORD.test(word) || JOINED_KEY.test(word)) return true;
    return (word === 'key' || word === 'keys') && i > 0 && !PUBLIC_KEY_QUALIFIERS.has(words[i - 1] ?? '');
  });
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** `name=value` pairs of a query string (`?a=1&b=2`, `a=1;b=2`), each with its delimiter before it. */
const QUERY_PAIR = /([?&;])([^?&;=#\s"\\]*)=([^&;#\s"\\]*)/g;
/** The password in a URL's userinfo: `//user:password@host`. */
const USERINFO_PASSWORD = /(\/\/[^\s/?#@:[\]"'<>]*:)([^\s/?#@[\]"'<>]+)@/g;

/**
 * The credentials in the URLs of `text` (one URL, free text holding URLs, or a JSON document): values of credential
 * query parameters and userinfo passwords, as written and decoded.
 */
export function urlCredentialValues(text: string): string[] {
  if (!text.includes('=') && !text.includes('@')) return [];
  const values = new Set<string>();
  const add = (value: string) => {
    values.add(value);
    values.add(decoded(value));
  };
  for (const [, , name = '', value = ''] of text.matchAll(QUERY_PAIR)) if (value !== '' && isCredentialName(decoded(name))) add(value);
  for (const [, , password = ''] of text.matchAll(USERINFO_PASSWORD)) add(password);
  return [...values];
}

/**
 * `text` with every credential in its URLs replaced by `replace(value)`. The names stay, so a reader still sees that
 * the URL carried a token.
 */
export function replaceUrlCredentials(text: string, replace: (value: string) => string): string {
  if (!text.includes('=') && !text.includes('@')) return text;
  return text
    .replace(QUERY_PAIR, (pair, delimiter: string, name: string, value: string) =>
      value !== '' && isCredentialName(decoded(name)) ? `${delimiter}${name}=${replace(value)}` : pair,
    )
    .replace(USERINFO_PASSWORD, (_m, user: string, password: string) => `${user}${replace(password)}@`);
}

/**
 * The URL without its credential query parameters, for links that end up in histories, logs and chat messages. The
 * other parameters stay exactly as written.
 */
export function withoutCredentialParams(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const hash = url.indexOf('#', query);
  const end = hash === -1 ? url.length : hash;
  const kept = url
    .slice(query + 1, end)
    .split('&')
    .filter((pair) => pair !== '' && !isCredentialName(decoded(pair.split('=', 1)[0] ?? '')));
  return `${url.slice(0, query)}${kept.length ? `?${kept.join('&')}` : ''}${url.slice(end)}`;
}
