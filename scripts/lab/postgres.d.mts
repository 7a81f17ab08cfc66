// Types for postgres.mjs, so TypeScript callers (integration tests, the bench) get checked imports.

export type PostgresCluster = {
  /** `postgres://stickyscope:PASSWORD@127.0.0.1:PORT/stickyscope`, ready to use as DATABASE_URL. */
  url: string;
  port: number;
  /** The temp folder holding the data directory, the unix socket and postgres.log. */
  dir: string;
  /** The server's bin folder (pg_dump, psql, … live there too). */
  binDir: string;
  /** Creates another empty database (a plain lower-case identifier) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown, then the folder is deleted. */
  stop(): Promise<void>;
};

export type StartPostgresOptions = {
  /** Keep fsync and synchronous commits on, as in production (the benchmark). Default false: faster tests. */
  durable?: boolean;
  /** Stop and delete the cluster on SIGINT, SIGTERM and exit of this process. Default true. */
  handleSignals?: boolean;
};

/** The newest server bin folder under /usr/lib/postgresql (or POSTGRES_BIN_DIR); null when PostgreSQL is not installed. */
export function findPostgresBinDir(): string | null;
export function startPostgres(options?: StartPostgresOptions): Promise<PostgresCluster>;
