/** @type {import('next').NextConfig} */
const nextConfig = {
  // dockerode pulls in ssh2, whose optional native parts the bundler cannot parse.
  serverExternalPackages: ['dockerode', 'docker-modem', 'ssh2'],
  poweredByHeader: false,
};

module.exports = nextConfig;
