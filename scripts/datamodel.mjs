// The PostgreSQL datamodel is the SQLite one with another provider and client output.
export function postgresDatamodelText(text) {
  return text
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output   = "../lib/store/generated/sqlite"', 'output   = "../lib/store/generated/postgres"');
}
