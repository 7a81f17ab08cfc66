/** @type {import('next').NextConfig} */
const nextConfig = {
  // dockerode pulls in ssh2, whose optional native parts the bundler cannot parse; socket.io (the demo lab's replicas)
  // reaches ws, which probes for optional native add-ons at run time.
  serverExternalPackages: ['dockerode', 'docker-modem', 'ssh2', 'socket.io'],
  poweredByHeader: false,
  // `npm run dev`: the server's front door (lib/web/front.ts) has already checked the Origin of the HMR socket against
  // the dashboard's own names and port; Next's own check knows only localhost.
  allowedDevOrigins: ['127.0.0.1', '[::1]'],
  async headers() {
    return [
      {
        // Share links: the link is the credential, so it must not leak through Referer, land in a search index or a
        // shared cache.
        source: '/r/:path*',
        headers: [
          { key: 'Referrer-Policy', value: 'no-referrer' },
          { key: 'X-Robots-Tag', value: 'noindex' },
          { key: 'Cache-Control', value: 'no-store' },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
