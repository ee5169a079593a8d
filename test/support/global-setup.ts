// Filled in by the store work: starts the embedded Postgres for database tests when DATABASE_URL is unset.
export default async function setup(): Promise<void> {}
