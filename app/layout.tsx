import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import { Providers } from './providers';

// Every page is rendered per request: the server's front door gives each response its own CSP nonce, which Next puts
// on its scripts only while rendering. A page prerendered at build time would carry none and run no script.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'stickyscope', template: '%s · stickyscope' },
  description: 'Does your load balancer really keep each user on one replica?',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
