import type { ReactNode } from 'react';
import { Header } from '@/components/layout/header';

export default function DashboardLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <Header />
      <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
    </>
  );
}
