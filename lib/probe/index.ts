// The probe's isomorphic surface: safe for the browser, the relay route and the CLI. The Node transport is
// imported separately from './transport-node'.
export * from './types';
export { probeSpecSchema, parseProbeSpec, safeParseProbeSpec, PROBE_LIMITS, REFUSED_HEADERS } from './spec';
export type { ProbeSpec, ProbeSpecInput, IdentitySpec } from './spec';
export { parseResolveOverride, type ResolveOverride } from './resolve';
export { BrowserCookieJar, type BrowserJarOptions, type JarUrl } from './jar';
export { compileIdentity, identityReadsBody, isLikelyBalancerCookie, type CookieDecoder, type Identity, type IdentityInput } from './identity';
export { ProbeSession, type ProbeSessionOptions } from './record';
export { CookieTimeline, type CookieTimelineOptions } from './cookie-timeline';
export { VerdictAggregator, computeVerdict, describeFirstBreak, describePass, evaluateExpectation, isSessionBreak, isSuccessful } from './verdict';
export { diagnose, type DiagnosisInput } from './diagnosis';
export { runProbe, realClock, toProbeJson, type LiveProbe, type ProbeClock, type ProbeResult, type RunProbeOptions } from './engine';
export { toProbeUrl, isLoopbackHost, secureContextOf } from './url';
