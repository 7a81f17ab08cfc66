import Link from 'next/link';

const links = [
  { href: '/', label: 'Overview' },
  { href: '/probes', label: 'Probe' },
  { href: '/reports', label: 'Reports' },
] as const;

const BRAND_CLASS = 'flex items-center gap-2 font-semibold tracking-tight';

function BrandMark() {
  return (
    <>
      <span aria-hidden className="inline-block h-3 w-3 rounded-full bg-healthy ring-4 ring-healthy/20" />
      stickyscope
    </>
  );
}

export function BrandLink() {
  return (
    <Link href="/" className={BRAND_CLASS}>
      <BrandMark />
    </Link>
  );
}

/** The brand without a link to the dashboard: share pages are read by people who may have no way to reach it. */
export function Brand() {
  return (
    <span className={BRAND_CLASS}>
      <BrandMark />
    </span>
  );
}

export function Header() {
  return (
    <header className="no-print border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-8 px-6 py-3">
        <BrandLink />
        <nav aria-label="Main" className="flex gap-5 text-sm text-slate-600">
          {links.map((link) => (
            <Link key={link.href} href={link.href} className="hover:text-slate-900">
              {link.label}
            </Link>
          ))}
        </nav>
      </div>
    </header>
  );
}
