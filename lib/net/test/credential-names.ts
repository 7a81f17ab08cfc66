// Names for credential tests: what real APIs use for credentials, and names that only look close.

/** Header names real APIs use for credentials. */
export const CREDENTIAL_HEADERS = [
  'Authorization', 'Proxy-Authorization', 'Cookie', 'Set-Cookie', 'X-Api-Key', 'Api-Key', 'apikey', 'X-Auth-Token',
  'X-Access-Token', 'X-CSRF-Token', 'X-XSRF-TOKEN', 'X-Amz-Security-Token', 'X-Vault-Token', 'Private-Token',
  'X-Goog-Api-Key', 'Ocp-Apim-Subscription-Key', 'X-Client-Secret', 'X-Password', 'X-Passwd', 'X-Pwd',
  'X-Session-Id', 'X-Hub-Signature-256', 'X-Sig', 'X-Credential', 'X-Jwt-Assertion', 'X-Bearer', 'X-Access-Key',
  'X-Api_Key', 'X-Functions-Key', 'X-Auth', 'WWW-Authenticate',
];

/** Query parameters that carry credentials, including cloud storage signatures and OAuth's. */
export const CREDENTIAL_PARAMS = [
  'access_token', 'token', 'api_key', 'apikey', 'apiKey', 'key', 'sig', 'signature', 'X-Amz-Signature',
  'X-Amz-Credential', 'X-Amz-Security-Token', 'password', 'passwd', 'pwd', 'secret', 'client_secret', 'code',
  'session', 'sessionid', 'sid', 'connect.sid', 'JSESSIONID', 'PHPSESSID', 'id_token', 'refresh_token', 'auth',
  'X-Goog-Signature', 'X-Goog-Credential', 'oauth_signature', 'jwt', 'csrf', '_csrf', 'SAMLResponse', 'ticket',
];

/** Names that look close but carry no secret: they must stay in links and on shared pages. */
export const PLAIN_NAMES = [
  'X-Replica', 'X-Served-By', 'X-Request-Id', 'X-Trace', 'X-Tenant', 'X-Author', 'Author', 'Authority', 'Accept',
  'Accept-Language', 'User-Agent', 'Content-Type', 'X-Forwarded-For', 'Idempotency-Key', 'X-Cache-Key',
  'X-Public-Key', 'Sec-WebSocket-Key', 'If-None-Match', 'page', 'per_page', 'q', 'sort', 'lang', 'EIO',
  'transport', 't', 'promo_code', 'status_code', 'keyword', 'monkey', 'key_id', 'client_id', 'redirect_uri',
  'state', 'signal', 'design', 'sidebar', 'codec', 'passenger', 'bypass',
];
