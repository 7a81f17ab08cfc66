// The version stamped into every report, so an import says which dashboard produced it.
import pkg from '@/package.json';

export const DASHBOARD_VERSION: string = pkg.version;
