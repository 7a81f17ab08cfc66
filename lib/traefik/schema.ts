// Raw shapes of Traefik's API (v2 and v3), validated liberally: unknown fields pass, odd values become undefined.
import { z } from 'zod';

const optionalString = z.string().optional().catch(undefined);
const optionalBoolean = z.boolean().optional().catch(undefined);
const optionalNumber = z.number().optional().catch(undefined);
const optionalList = z.array(z.unknown()).optional().catch(undefined);
const optionalPresence = z.unknown().optional();

export const rawCookieSchema = z.looseObject({
  name: optionalString,
  secure: optionalBoolean,
  httpOnly: optionalBoolean,
  sameSite: optionalString,
  maxAge: optionalNumber,
  path: optionalString,
  domain: optionalString,
});

const rawStickySchema = z
  .looseObject({ cookie: rawCookieSchema.nullable().optional().catch(undefined) })
  .optional()
  .catch(undefined);

export const rawRouterSchema = z.looseObject({
  name: optionalString,
  provider: optionalString,
  rule: optionalString,
  entryPoints: optionalList,
  service: optionalString,
  tls: optionalPresence,
  priority: optionalNumber,
  // v3.6.10+ reports priority as a string because it can exceed int64-safe JSON numbers.
  priorityStr: z.union([z.string(), z.number()]).optional().catch(undefined),
  status: optionalString,
});

export const rawServiceSchema = z.looseObject({
  name: optionalString,
  provider: optionalString,
  type: optionalString,
  status: optionalString,
  usedBy: optionalList,
  serverStatus: z.record(z.string(), z.unknown()).optional().catch(undefined),
  loadBalancer: z
    .looseObject({
      servers: optionalList,
      sticky: rawStickySchema,
      healthCheck: optionalPresence,
      strategy: optionalString,
    })
    .optional()
    .catch(undefined),
  weighted: z
    .looseObject({ services: optionalList, sticky: rawStickySchema, healthCheck: optionalPresence })
    .optional()
    .catch(undefined),
  mirroring: z
    .looseObject({ service: optionalString, mirrors: optionalList, healthCheck: optionalPresence })
    .optional()
    .catch(undefined),
  failover: z
    .looseObject({ service: optionalString, fallback: optionalString, healthCheck: optionalPresence })
    .optional()
    .catch(undefined),
  highestRandomWeight: z
    .looseObject({ services: optionalList, healthCheck: optionalPresence })
    .optional()
    .catch(undefined),
});

export const rawServerSchema = z.looseObject({ url: z.string().min(1), weight: optionalNumber });

export const rawChildSchema = z.looseObject({ name: z.string().min(1), weight: optionalNumber });

export const rawEntryPointSchema = z.looseObject({ name: z.string().min(1), address: optionalString });

export const rawVersionSchema = z.looseObject({ Version: optionalString });

export const rawOverviewSchema = z.looseObject({ providers: optionalList });

export const rawDataSchema = z.looseObject({
  routers: z.record(z.string(), z.unknown()).optional().catch(undefined),
  services: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

export type RawRouter = z.infer<typeof rawRouterSchema>;
export type RawService = z.infer<typeof rawServiceSchema>;
export type RawCookie = z.infer<typeof rawCookieSchema>;
