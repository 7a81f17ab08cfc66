'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { z } from 'zod';
import { getQueryClient } from '@/lib/queries/query-client';

// zod compiles object parsers with `new Function` when it may, and finds out by trying, which the pages' CSP (no
// 'unsafe-eval') reports as a violation. In the browser it parses without compiling; the server keeps the faster path.
if (typeof window !== 'undefined') z.config({ jitless: true });

export function Providers({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={getQueryClient()}>{children}</QueryClientProvider>;
}
