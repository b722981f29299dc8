// One plain node-postgres connection for what a test does straight on the database (as the owner, an app role,
// the backup role), closed whatever happens.
import pg from "pg";

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
