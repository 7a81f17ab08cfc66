// Every affinity rule, in the order they are documented.
import type { Rule } from '../types';
import { ambiguousNetwork } from './ambiguous-network';
import { cookieNameCollision } from './cookie-name-collision';
import { httpOnlyOff } from './httponly-off';
import { invalidLabels } from './invalid-labels';
import { labelsApiDisagree } from './labels-api-disagree';
import { lbswarmDefeatsSticky } from './lbswarm-defeats-sticky';
import { meshBypass } from './mesh-bypass';
import { noHealthCheck } from './no-health-check';
import { noSticky } from './no-sticky';
import { sameSiteNoneWithoutSecure } from './samesite-none-without-secure';
import { secureCookieOverHttp } from './secure-cookie-over-http';
import { sessionCookie } from './session-cookie';
import { singleReplica } from './single-replica';
import { splitRouters } from './split-routers';
import { staleServers } from './stale-servers';
import { v1LabelsIgnored } from './v1-labels-ignored';

export const rules: readonly Rule[] = [
  noSticky,
  secureCookieOverHttp,
  sameSiteNoneWithoutSecure,
  lbswarmDefeatsSticky,
  splitRouters,
  v1LabelsIgnored,
  invalidLabels,
  cookieNameCollision,
  meshBypass,
  staleServers,
  noHealthCheck,
  ambiguousNetwork,
  labelsApiDisagree,
  singleReplica,
  httpOnlyOff,
  sessionCookie,
];
