/** @type {import('next').NextConfig} */
const nextConfig = {
  // dockerode pulls in ssh2, whose optional native parts the bundler cannot parse; socket.io (the demo lab's replicas)
  // reaches ws, which probes for optional native add-ons at run time.
  serverExternalPackages: ['dockerode', 'docker-modem', 'ssh2', 'socket.io'],
  poweredByHeader: false,
};

module.exports = nextConfig;
